// Counts year rollovers in a year-less log: the year turns when the month goes back (Dec → Jan).

export class YearRollover {
  private index = 0;
  private lastMonth: number | null = null;

  /** The rollover count for a line stamped in `month` (1–12), read in file order. */
  next(month: number): number {
    const last = this.lastMonth;
    if (last === null) {
      this.lastMonth = month;
      return 0;
    }
    if (month < last) {
      if (last - month >= 6) {
        this.index++;
        this.lastMonth = month;
      }
      // A month back by less than half a year is an out-of-order line, not a new year.
      return this.index;
    }
    if (month - last >= 6 && this.index > 0) {
      // Dec right after the Jan that turned the year: a late line from the old year.
      return this.index - 1;
    }
    this.lastMonth = month;
    return this.index;
  }
}
