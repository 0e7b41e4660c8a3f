// oomscope's library entry: the CLI is a thin layer over these.
export { diagnose } from './diagnose.js';
export type { DiagnoseIo } from './diagnose.js';
export type { DiagnoseOptions } from './options.js';
export type { DiscoveryPlaces } from './read/find-inputs.js';
export type { Lang } from './i18n/messages.js';
export { UsageError } from './usage-error.js';
export { VERDICTS } from './model/report.js';
export type * from './model/report.js';
