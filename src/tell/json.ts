// The report as JSON (docs/json.md); JSON.stringify already escapes control characters.
import type { Report } from '../model/report.js';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
