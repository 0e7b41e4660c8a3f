// `oomscope fleet`'s reading: what a Prometheus that scrapes the fleet's watchers knows about the last window —
// deaths by server, process and verdict, OOM kills by victim, each server's last death, and which watchers are
// silent — as plain data. Counts are counter differences over the window (a series born inside it counts from 0).

interface FleetServer {
  instance: string;
  deaths: number;
  /** Deaths by verdict, most first. */
  verdicts: { verdict: string; process: string; count: number }[];
  oomKills: number;
  victims: { victim: string; count: number }[];
  /** ISO time of the last death seen, or null. */
  lastDeath: string | null;
  /** Whether its last scrape succeeded; null when Prometheus has no `up` for it (no longer scraped). */
  up: boolean | null;
}

export interface FleetData {
  prometheus: string;
  windowSeconds: number;
  /** When Prometheus answered (its evaluation time), ISO. */
  at: string;
  /** Servers with most deaths first, then most OOM kills, then by name. */
  servers: FleetServer[];
}

type Vector = { metric: Record<string, string>; value: [number, string] }[];

/** `[W]` change of a counter: its rise since the window's start, or its whole value when it was born inside the window. */
function rise(metric: string, by: string, w: string): string {
  return `sum by (${by}) ((max_over_time(${metric}[${w}]) - (${metric} offset ${w})) or (max_over_time(${metric}[${w}]) unless (${metric} offset ${w})))`;
}

async function query(base: string, expr: string, atSeconds: number, fetchImpl: typeof fetch): Promise<Vector> {
  const url = new URL('api/v1/query', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('query', expr);
  url.searchParams.set('time', String(atSeconds));
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(15_000) });
  const body = (await response.json()) as { status?: string; error?: string; data?: { resultType?: string; result?: Vector } };
  if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new Error(`Prometheus answered ${response.status}: ${body.error ?? 'not a vector'}`);
  return body.data.result ?? [];
}

export async function readFleet(options: { prometheus: string; windowSeconds: number; nowMs?: number; fetch?: typeof fetch }): Promise<FleetData> {
  const f = options.fetch ?? fetch;
  const at = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const w = `${Math.max(1, Math.round(options.windowSeconds))}s`;
  const [deaths, kills, last, up] = await Promise.all([
    query(options.prometheus, rise('oomscope_deaths_total', 'instance, process, verdict', w), at, f),
    query(options.prometheus, rise('oomscope_oom_kills_total', 'instance, victim', w), at, f),
    query(options.prometheus, `max by (instance) (max_over_time(oomscope_last_death_timestamp_seconds[${w}]))`, at, f),
    query(options.prometheus, `max by (instance) (max_over_time(up{job="oomscope"}[${w}]))`, at, f),
  ]);
  const upNow = await query(options.prometheus, 'max by (instance) (up{job="oomscope"})', at, f);
  const servers = new Map<string, FleetServer>();
  const server = (instance = '?'): FleetServer => {
    let s = servers.get(instance);
    if (!s) {
      s = { instance, deaths: 0, verdicts: [], oomKills: 0, victims: [], lastDeath: null, up: null };
      servers.set(instance, s);
    }
    return s;
  };
  for (const r of up) server(r.metric.instance);
  for (const r of deaths) {
    const count = Math.round(Number(r.value[1]));
    if (!(count > 0) || r.metric.verdict === 'stopped') continue;
    const s = server(r.metric.instance);
    s.deaths += count;
    s.verdicts.push({ verdict: r.metric.verdict ?? '?', process: r.metric.process ?? '?', count });
  }
  for (const r of kills) {
    const count = Math.round(Number(r.value[1]));
    if (!(count > 0)) continue;
    const s = server(r.metric.instance);
    s.oomKills += count;
    s.victims.push({ victim: r.metric.victim ?? '?', count });
  }
  for (const r of last) {
    const seconds = Number(r.value[1]);
    if (seconds > 0 && seconds >= at - options.windowSeconds) server(r.metric.instance).lastDeath = new Date(seconds * 1000).toISOString();
  }
  for (const r of upNow) server(r.metric.instance).up = Number(r.value[1]) === 1;
  for (const s of servers.values()) {
    s.verdicts.sort((a, b) => b.count - a.count || a.verdict.localeCompare(b.verdict));
    s.victims.sort((a, b) => b.count - a.count || a.victim.localeCompare(b.victim));
  }
  const sorted = [...servers.values()].sort((a, b) => b.deaths - a.deaths || b.oomKills - a.oomKills || a.instance.localeCompare(b.instance));
  return { prometheus: options.prometheus, windowSeconds: options.windowSeconds, at: new Date(at * 1000).toISOString(), servers: sorted };
}
