// The counters behind `--metrics`: deaths, OOM kills, downtime and oomscope's own reading, kept in plain maps with
// capped label values. No I/O: the metric table reads them at each scrape, and they export to plain JSON (and import
// from it) so that they survive a restart of oomscope through the state file.
import { VERDICTS, type Incident, type OomKill } from '../../model/report.js';
import { LabelCap, labelValue, OTHER } from './label-cap.js';

const CONSTRAINTS = ['global', 'memcg', 'cpuset', 'mempolicy'];
/** How many ids of counted incidents and kills are remembered (and saved) so that a re-read log is not counted twice. */
const REMEMBERED_IDS = 2000;
/** Distinct inputs remembered for their running totals; inputs beyond these are not counted at all. */
const MAX_INPUTS = 1000;
/** A verdict is a label value too: one not shaped like a verdict is counted as `other`. */
const VERDICT_SHAPE = /^[a-z][a-z-]{0,31}$/;
const SAVED_FORMAT = 'oomscope-metrics';

/** What the watcher says about one input; `linesRead` and `parseErrors` are its running totals since it opened the input. */
export interface HealthSample {
  input: string;
  linesRead: number;
  /** When a line was last read (ms since the epoch); null when none yet. */
  lastReadMs: number | null;
  parseErrors: number;
}

/** First label → second label → amount. */
type Nested = Map<string, Map<string, number>>;
type ReadonlyNested = ReadonlyMap<string, ReadonlyMap<string, number>>;
type Triple = [string, string, number];
type Pair = [string, number];

/** The counters as the metric definitions read them (label values already capped). */
export interface CounterReadings {
  /** process → verdict → deaths */
  readonly deaths: ReadonlyNested;
  /** victim → constraint → kills */
  readonly oomKills: ReadonlyNested;
  /** process → seconds */
  readonly downtime: ReadonlyMap<string, number>;
  /** process → Unix seconds */
  readonly lastDeath: ReadonlyMap<string, number>;
  /** input → lines */
  readonly linesRead: ReadonlyMap<string, number>;
  /** input → lines */
  readonly parseErrors: ReadonlyMap<string, number>;
  /** input → Unix seconds */
  readonly lastRead: ReadonlyMap<string, number>;
  inputsFollowed(): number;
}

/** The state file's copy of the counters (what exportCounters gives and importCounters reads). */
export interface SavedCounters {
  format: typeof SAVED_FORMAT;
  version: 1;
  deaths: Triple[];
  oomKills: Triple[];
  downtimeSeconds: Pair[];
  lastDeathSeconds: Pair[];
  linesRead: Pair[];
  parseErrors: Pair[];
  countedIncidents: string[];
  countedKills: string[];
  downtimeCounted: Pair[];
}

export class MetricCounters implements CounterReadings {
  readonly deaths: Nested = new Map();
  readonly oomKills: Nested = new Map();
  readonly downtime = new Map<string, number>();
  readonly lastDeath = new Map<string, number>();
  readonly linesRead = new Map<string, number>();
  readonly parseErrors = new Map<string, number>();
  readonly lastRead = new Map<string, number>();
  /** The watcher's last running totals per input (raw name), to count only what is new. */
  private readonly previousTotals = new Map<string, { lines: number; errors: number }>();
  private readonly countedIncidents = new RememberedIds(REMEMBERED_IDS);
  private readonly countedKills = new RememberedIds(REMEMBERED_IDS);
  /** Incident id → downtime already added for it. */
  private readonly downtimeCounted = new Map<string, number>();
  private followed: number | null = null;
  private readonly processes: LabelCap;
  private readonly victims: LabelCap;
  private readonly inputs: LabelCap;

  /** `processes`: watched process names, whose series exist from the start at 0 (so that the first death is an increase). */
  constructor(options: { maxLabelValues: number; processes: readonly string[] }) {
    const limit = options.maxLabelValues;
    this.processes = new LabelCap(limit, true, (p) => {
      foldNested(this.deaths, p);
      fold(this.downtime, p);
      fold(this.lastDeath, p, Math.max);
    });
    this.victims = new LabelCap(limit, true, (v) => foldNested(this.oomKills, v));
    this.inputs = new LabelCap(limit, false, () => {});
    for (const p of options.processes) {
      const label = this.processes.count(p, 0);
      for (const verdict of VERDICTS) addNested(this.deaths, label, verdict, 0);
      add(this.downtime, label, 0);
    }
  }

  // One death per incident id, whichever notice brings it first (an update of an incident told before a restart
  // that lost the state counts it then); downtime is added as it becomes known or grows.
  countDeath(incident: Incident): void {
    const verdict = VERDICT_SHAPE.test(incident.verdict) ? incident.verdict : OTHER;
    if (!this.countedIncidents.has(incident.id)) {
      this.countedIncidents.add(incident.id);
      const label = this.processes.count(incident.process);
      addNested(this.deaths, label, verdict, 1);
      const died = incident.diedAt ? Date.parse(incident.diedAt) / 1000 : Date.now() / 1000;
      if (Number.isFinite(died)) this.lastDeath.set(label, Math.max(this.lastDeath.get(label) ?? 0, died));
    }
    const downtime = incident.downtimeSeconds;
    if (downtime === null || !Number.isFinite(downtime) || downtime <= 0) return;
    const before = this.downtimeCounted.get(incident.id) ?? 0;
    if (downtime <= before) return;
    add(this.downtime, this.processes.current(incident.process), downtime - before);
    // Delete first, so that the id moves to the end and the oldest ids are the ones forgotten.
    this.downtimeCounted.delete(incident.id);
    this.downtimeCounted.set(incident.id, downtime);
    if (this.downtimeCounted.size > REMEMBERED_IDS) this.downtimeCounted.delete(this.downtimeCounted.keys().next().value as string);
  }

  /** Every OOM kill, of any process, counted once per kill id. */
  countOomKill(kill: OomKill): void {
    if (this.countedKills.has(kill.id)) return;
    this.countedKills.add(kill.id);
    const constraint = kill.constraint && CONSTRAINTS.includes(kill.constraint) ? kill.constraint : 'unknown';
    addNested(this.oomKills, this.victims.count(kill.name ?? 'unknown'), constraint, 1);
  }

  health(sample: HealthSample): void {
    const raw = labelValue(sample.input);
    // Every distinct input counts toward inputs_followed, also those whose series are `other` (bounded all the same).
    if (!this.previousTotals.has(raw) && this.previousTotals.size >= MAX_INPUTS) return;
    const label = this.inputs.count(raw);
    const before = this.previousTotals.get(raw) ?? { lines: 0, errors: 0 };
    const lines = finiteCount(sample.linesRead);
    const errors = finiteCount(sample.parseErrors);
    // Totals that went down mean the watcher started counting again (input reopened): the new total is all new.
    add(this.linesRead, label, lines >= before.lines ? lines - before.lines : lines);
    add(this.parseErrors, label, errors >= before.errors ? errors - before.errors : errors);
    this.previousTotals.set(raw, { lines, errors });
    if (sample.lastReadMs !== null && Number.isFinite(sample.lastReadMs)) {
      this.lastRead.set(label, Math.max(this.lastRead.get(label) ?? 0, sample.lastReadMs / 1000));
    }
  }

  setInputsFollowed(count: number): void {
    this.followed = finiteCount(count);
  }

  /** As set; without a call, the number of inputs health() has named. */
  inputsFollowed(): number {
    return this.followed ?? this.previousTotals.size;
  }

  exportCounters(): SavedCounters {
    return {
      format: SAVED_FORMAT,
      version: 1,
      deaths: flatten(this.deaths),
      oomKills: flatten(this.oomKills),
      downtimeSeconds: [...this.downtime],
      lastDeathSeconds: [...this.lastDeath],
      linesRead: [...this.linesRead],
      parseErrors: [...this.parseErrors],
      countedIncidents: this.countedIncidents.list(),
      countedKills: this.countedKills.list(),
      downtimeCounted: [...this.downtimeCounted],
    };
  }

  /** Adds saved counters (exportCounters' JSON); anything malformed is ignored. False when nothing was usable. */
  importCounters(saved: unknown): boolean {
    const s = readSavedCounters(saved);
    if (!s) return false;
    let used = 0;
    // The most frequent first, so that they are the ones admitted when there are more than the cap.
    for (const [process, verdict, v] of byValue(s.deaths)) {
      if (!VERDICT_SHAPE.test(verdict)) continue;
      addNested(this.deaths, this.processes.count(process, v), verdict, v);
      used++;
    }
    for (const [victim, constraint, v] of byValue(s.oomKills)) {
      addNested(this.oomKills, this.victims.count(victim, v), CONSTRAINTS.includes(constraint) ? constraint : 'unknown', v);
      used++;
    }
    for (const [process, v] of s.downtimeSeconds) {
      add(this.downtime, this.processes.current(process), v);
      used++;
    }
    for (const [process, v] of s.lastDeathSeconds) {
      const label = this.processes.current(process);
      this.lastDeath.set(label, Math.max(this.lastDeath.get(label) ?? 0, v));
      used++;
    }
    for (const [input, v] of byValue(s.linesRead)) {
      add(this.linesRead, this.inputs.count(input), v);
      used++;
    }
    for (const [input, v] of s.parseErrors) {
      add(this.parseErrors, this.inputs.current(input), v);
      used++;
    }
    for (const id of s.countedIncidents) this.countedIncidents.add(id);
    for (const id of s.countedKills) this.countedKills.add(id);
    for (const [id, v] of s.downtimeCounted) this.downtimeCounted.set(id, v);
    return used > 0 || s.countedIncidents.length > 0 || s.countedKills.length > 0;
  }
}

/** The well-formed entries of saved counters; null when it is not saved counters at all. */
function readSavedCounters(saved: unknown): SavedCounters | null {
  if (typeof saved !== 'object' || saved === null) return null;
  const s = saved as Record<string, unknown>;
  if (s.format !== SAVED_FORMAT || s.version !== 1) return null;
  return {
    format: SAVED_FORMAT,
    version: 1,
    deaths: triples(s.deaths),
    oomKills: triples(s.oomKills),
    downtimeSeconds: pairs(s.downtimeSeconds),
    lastDeathSeconds: pairs(s.lastDeathSeconds),
    linesRead: pairs(s.linesRead),
    parseErrors: pairs(s.parseErrors),
    countedIncidents: ids(s.countedIncidents),
    countedKills: ids(s.countedKills),
    downtimeCounted: pairs(s.downtimeCounted).slice(-REMEMBERED_IDS),
  };
}

function triples(v: unknown): Triple[] {
  return Array.isArray(v) ? v.filter((e): e is Triple => Array.isArray(e) && e.length === 3 && isName(e[0]) && isName(e[1]) && isAmount(e[2])) : [];
}

function pairs(v: unknown): Pair[] {
  return Array.isArray(v) ? v.filter((e): e is Pair => Array.isArray(e) && e.length === 2 && isName(e[0]) && isAmount(e[1])) : [];
}

function ids(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string' && e.length > 0 && e.length <= 128).slice(-REMEMBERED_IDS) : [];
}

/** Largest amount (the last element) first. */
function byValue<T extends Triple | Pair>(list: T[]): T[] {
  return [...list].sort((a, b) => (b[b.length - 1] as number) - (a[a.length - 1] as number));
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 256;
}

function isAmount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function finiteCount(v: number): number {
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** The ids last added, at most `max` (the oldest forgotten first). */
class RememberedIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
  }
  list(): string[] {
    return [...this.ids];
  }
}

function flatten(map: Nested): Triple[] {
  return [...map].flatMap(([a, inner]) => [...inner].map(([b, v]): Triple => [a, b, v]));
}

function addNested(map: Nested, a: string, b: string, value: number): void {
  let inner = map.get(a);
  if (!inner) map.set(a, (inner = new Map()));
  inner.set(b, (inner.get(b) ?? 0) + value);
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** An evicted label's counts go to `other`. */
function foldNested(map: Nested, from: string): void {
  const inner = map.get(from);
  if (!inner) return;
  map.delete(from);
  for (const [b, v] of inner) addNested(map, OTHER, b, v);
}

function fold(map: Map<string, number>, from: string, combine: (a: number, b: number) => number = (a, b) => a + b): void {
  const v = map.get(from);
  if (v === undefined) return;
  map.delete(from);
  const o = map.get(OTHER);
  map.set(OTHER, o === undefined ? v : combine(o, v));
}
