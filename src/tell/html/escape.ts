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
 * line (`</script>`, `<!--`) can end or change the block, and U+2028/U+2029 so that the text stays valid script text.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
