// oomscope's library entry: the CLI is a thin layer over these.
export { diagnose } from './diagnose.js';
export type { DiagnoseOptions } from './options.js';
export type * from './model/report.js';
