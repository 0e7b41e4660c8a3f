// Several files read as one stream (rotated siblings, oldest first) keep their own paths and line numbers.

export interface FileLine {
  path: string;
  line: number;
}

export class LineMap {
  private readonly starts: { path: string; offset: number }[] = [];

  /** Starts a file whose first line is stream line `offset + 1`. */
  begin(path: string, offset: number): void {
    this.starts.push({ path, offset });
  }

  /** The file and 1-based line of a stream line number. */
  locate(streamLine: number): FileLine {
    for (let i = this.starts.length - 1; i >= 0; i--) {
      const start = this.starts[i]!;
      if (streamLine > start.offset) return { path: start.path, line: streamLine - start.offset };
    }
    const first = this.starts[0];
    return { path: first?.path ?? '?', line: streamLine };
  }

  get paths(): string[] {
    return this.starts.map((s) => s.path);
  }

  /** The files' starts as plain data, to send to another thread. */
  toPlain(): { path: string; offset: number }[] {
    return this.starts.map((s) => ({ ...s }));
  }

  /** A map rebuilt from toPlain()'s data. */
  static fromPlain(starts: readonly { path: string; offset: number }[]): LineMap {
    const map = new LineMap();
    for (const start of starts) map.begin(start.path, start.offset);
    return map;
  }
}
