// Log text is hostile: in the HTML report it is always text, never markup.
import { escapeForTerminal } from '../escape.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML (and SVG) content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Text from a log, for HTML: control characters, line separators and bidi overrides become visible escapes (as in the
 * terminal, so a line cannot hide or reorder what it says), then HTML's special characters become entities.
 */
export function logText(text: string): string {
  return escapeHtml(escapeForTerminal(text));
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are written as \u escapes so that no log
 * line (`</script>`, `<!--`) can end or change the block; U+2028/U+2029, C1 controls and bidi overrides too, so that
 * the file's source shows no invisible or reordering characters either (JSON.stringify already escapes C0 controls).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
