// Label values of the metrics come from logs, so their number is capped: the most frequent values get their own
// series, the rest are counted under `other`.

export const OTHER = 'other';

/**
 * The label values of one dimension, at most `limit` of them; others are `other`. With `promote`, a value counted
 * more often than the least frequent admitted one takes its place (the evicted one's counts are folded into
 * `other` by `onEvict`, so sums never go down and the series count stays bounded).
 */
export class LabelCap {
  private readonly admitted = new Map<string, number>();
  private readonly candidates = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly promote: boolean,
    private readonly onEvict: (value: string) => void,
  ) {}

  /** The label for one more occurrence of `raw`. */
  count(raw: string, weight = 1): string {
    const value = labelValue(raw);
    const seen = this.admitted.get(value);
    if (seen !== undefined) {
      this.admitted.set(value, seen + weight);
      return value;
    }
    if (value === OTHER) return OTHER;
    if (this.admitted.size < this.limit) {
      this.admitted.set(value, (this.candidates.get(value) ?? 0) + weight);
      this.candidates.delete(value);
      return value;
    }
    if (!this.promote) return OTHER;
    const frequency = (this.candidates.get(value) ?? 0) + weight;
    this.candidates.set(value, frequency);
    const least = this.leastAdmitted();
    if (least && frequency > least[1]) {
      this.admitted.delete(least[0]);
      this.candidates.set(least[0], least[1]);
      this.candidates.delete(value);
      this.admitted.set(value, frequency);
      this.onEvict(least[0]);
      this.trim();
      return value;
    }
    this.trim();
    return OTHER;
  }

  /** The label `raw` is counted under now, without counting it. */
  current(raw: string): string {
    const value = labelValue(raw);
    return this.admitted.has(value) ? value : OTHER;
  }

  /** The admitted value counted least often (the first of equals). */
  private leastAdmitted(): [string, number] | undefined {
    let least: [string, number] | undefined;
    for (const entry of this.admitted) if (!least || entry[1] < least[1]) least = entry;
    return least;
  }

  // Frequencies of values not admitted are kept for a bounded number of them: the rarer half goes when full.
  private trim(): void {
    if (this.candidates.size <= 50 * this.limit) return;
    const sorted = [...this.candidates].sort((a, b) => b[1] - a[1]);
    this.candidates.clear();
    for (const [v, f] of sorted.slice(0, 25 * this.limit)) this.candidates.set(v, f);
  }
}

/** A label value from a log: at most 128 characters, never empty. */
export function labelValue(raw: string): string {
  const value = raw.length > 128 ? raw.slice(0, 128) : raw;
  return value.length === 0 ? 'unknown' : value;
}
