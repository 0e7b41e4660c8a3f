// Clipping text that is kept (evidence, records) so that one huge log line cannot stay in memory through it.

/**
 * The first `max` UTF-16 units of `text` (one less rather than split a surrogate pair), as a string of its own:
 * a plain `slice` may share the whole long line's memory, which a kept record would then hold alive.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return detach(text.slice(0, end));
}

/** A copy of `text` that shares no memory with the string it was cut from. */
function detach(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
