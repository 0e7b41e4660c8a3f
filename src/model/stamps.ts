// Stamps as the logs write them, shared by every stage that reads or places them.

/** A wall-clock stamp as written, without a zone; `year` null when the line has none. */
export interface LocalStamp {
  year: number | null;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of the second in microseconds (0 when the stamp has none). */
  micros: number;
}
