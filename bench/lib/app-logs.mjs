// AnQiCMS's running.log (stdout+stderr of the Go process, formats.md §2) and the cron guardian's
// check.log (§1), for the same timeline as the syslog: instances start, run, and die.
import { checkStamp, goStamp } from './util.mjs';

const ESC = '\x1b';
const C = { reset: `${ESC}[0m`, red: `${ESC}[31m`, green: `${ESC}[32m`, yellow: `${ESC}[33m`, magenta: `${ESC}[35m`, blueBold: `${ESC}[34;1m`, magentaBold: `${ESC}[35;1m`, redBold: `${ESC}[31;1m` };

const GO_FILES = [
  ['/www/wwwroot/anqicms/provider/article.go', [118, 405, 611, 872]],
  ['/www/wwwroot/anqicms/provider/category.go', [96, 233]],
  ['/www/wwwroot/anqicms/provider/setting.go', [57, 301]],
  ['/www/wwwroot/anqicms/provider/statistic.go', [88, 142]],
  ['/www/wwwroot/anqicms/provider/tag.go', [77, 190]],
];
const SELECTS = [
  'SELECT * FROM `archives` WHERE `archives`.`id` = %d AND `archives`.`deleted_at` IS NULL ORDER BY `archives`.`id` LIMIT 1',
  "SELECT * FROM `archives` WHERE `url_token` = 'p-%d' AND `archives`.`deleted_at` IS NULL ORDER BY `archives`.`id` LIMIT 1",
  'SELECT count(*) FROM `archives` WHERE category_id IN (%d) AND `status` = 1 AND `archives`.`deleted_at` IS NULL',
  'SELECT * FROM `categories` WHERE `categories`.`id` = %d AND `categories`.`deleted_at` IS NULL ORDER BY `categories`.`id` LIMIT 1',
  "SELECT * FROM `tags` WHERE `url_token` = 'tag-%d' ORDER BY `tags`.`id` LIMIT 1",
  'SELECT `id`,`title`,`url_token`,`created_time` FROM `archives` WHERE `status` = 1 AND `archives`.`deleted_at` IS NULL ORDER BY id desc LIMIT 10 OFFSET %d',
];

const PANIC_TRACES = [
  {
    head: ['panic: runtime error: invalid memory address or nil pointer dereference', '[signal SIGSEGV: segmentation violation code=0x1 addr=0x180 pc=0x1092728]'],
    frames: [
      'kandaoni.com/anqicms/provider.(*Website).NewTitleImage(...)',
      '\t/www/wwwroot/anqicms/provider/titleImage.go:274 +0x47',
      'kandaoni.com/anqicms/provider.(*Website).GenerateTitleImage(0xc000b2e000, {0xc0013a4f00, 0x24}, {0xc00045e1e0, 0x1b})',
      '\t/www/wwwroot/anqicms/provider/titleImage.go:97 +0x1c5',
      'kandaoni.com/anqicms/provider.(*Website).SaveArchive.func1()',
      '\t/www/wwwroot/anqicms/provider/archive.go:1290 +0x9e',
      'created by kandaoni.com/anqicms/provider.(*Website).SaveArchive in goroutine 121',
      '\t/www/wwwroot/anqicms/provider/archive.go:1286 +0x2b5',
    ],
  },
  {
    head: ['panic: runtime error: index out of range [3] with length 3'],
    frames: [
      'kandaoni.com/anqicms/library.ParseDescription({0xc0021e8000, 0x12c})',
      '\t/www/wwwroot/anqicms/library/html.go:212 +0x41d',
      'kandaoni.com/anqicms/provider.(*Website).CollectArticles.func2()',
      '\t/www/wwwroot/anqicms/provider/collector.go:455 +0x1f4',
      'created by kandaoni.com/anqicms/provider.(*Website).CollectArticles in goroutine 88',
      '\t/www/wwwroot/anqicms/provider/collector.go:430 +0x3d2',
    ],
  },
];

const FATAL_TRACE = [
  'fatal error: concurrent map writes',
  '',
  'goroutine 20114 [running]:',
  'kandaoni.com/anqicms/provider.(*Website).SetCacheData(0xc000b2e000, {0xc001f2a0c0, 0x11}, {0x1a2b3c0, 0xc0035e1f80})',
  '\t/www/wwwroot/anqicms/provider/cache.go:41 +0x9f',
  'kandaoni.com/anqicms/controller.ArticleDetail({0x1c1e5a8, 0xc003f4a000})',
  '\t/www/wwwroot/anqicms/controller/article.go:88 +0x6d1',
  'github.com/kataras/iris/v12/context.(*Context).Do(0xc003f4a000, {0xc002e3b0e0, 0x4, 0x4})',
  '\t/root/go/pkg/mod/github.com/kataras/iris/v12@v12.2.11/context/context.go:1066 +0x78',
  '',
  'goroutine 1 [chan receive, 1441 minutes]:',
  'main.main()',
  '\t/www/wwwroot/anqicms/main.go:112 +0x7c5',
  '',
  'goroutine 37 [select]:',
  'database/sql.(*DB).connectionOpener(0xc0001d2b60, {0x1c0f650, 0xc0004a2aa0})',
  '\t/usr/local/go/src/database/sql/sql.go:1246 +0x87',
  'created by database/sql.OpenDB in goroutine 1',
  '\t/usr/local/go/src/database/sql/sql.go:824 +0x14c',
];

/** The lines an instance prints when it starts (current AnQiCMS with Iris v12.2). */
function startLines(go, tMs, byHand) {
  const out = [];
  if (byHand) out.push('nohup: ignoring input');
  out.push(`${go(tMs)} /www/wwwroot/anqicms.com/`);
  out.push('Iris Version: 12.2.11', '', 'Now listening on: ', '> Network:  http://10.0.0.5:8001', '> Local:    http://localhost:8001', 'Application started. Press CTRL+C to shut down.');
  out.push(`${go(tMs + 1000)} 请手动在浏览器输入访问地址： http://10.0.0.5:8001/`);
  return out;
}

/** One everyday stretch of output (1–3 lines). */
function normalLines(rng, go, tMs) {
  const x = rng.next();
  if (x < 0.3) {
    const [file, lines] = rng.pick(GO_FILES);
    return ['\r', `${go(tMs)} ${C.redBold}${file}:${rng.pick(lines)} ${C.magentaBold}record not found`, `${C.reset}${C.yellow}[${(rng.next() * 3).toFixed(3)}ms] ${C.blueBold}[rows:0]${C.reset} ${rng.pick(SELECTS).replace('%d', rng.int(1, 90000))}`];
  }
  if (x < 0.5) {
    const [file, lines] = rng.pick(GO_FILES);
    return ['\r', `${go(tMs)} ${C.green}${file}:${rng.pick(lines)} ${C.yellow}SLOW SQL >= 200ms`, `${C.reset}${C.redBold}[${(200 + rng.next() * 3000).toFixed(3)}ms] ${C.yellow}[rows:${rng.int(0, 20)}]${C.magenta} ${rng.pick(SELECTS).replace('%d', rng.int(1, 90000))}${C.reset}`];
  }
  if (x < 0.55) return [`[mysql] ${go(tMs)} packets.go:37: unexpected EOF`];
  if (x < 0.58) return [`[mysql] ${go(tMs)} packets.go:122: closing bad idle connection: EOF`];
  if (x < 0.73) return [`${go(tMs)} http: TLS handshake error from ${rng.ip()}:${rng.int(1024, 65535)}: ${rng.pick(['EOF', 'read: connection reset by peer', 'tls: first record does not look like a TLS handshake'])}`];
  if (x < 0.83) return [`${go(tMs)} isLimiting 1 429`];
  if (x < 0.88) return [`[ERRO] ${go(tMs).slice(0, 16)} template: index.html:${rng.int(3, 90)}:${rng.int(2, 40)}: executing "index.html" at <.archive.Title>: nil pointer evaluating *model.Archive.Title`];
  if (x < 0.995) return [`${go(tMs)} http: superfluous response.WriteHeader call from github.com/kataras/iris/v12/context.(*Context).StatusCode (context.go:1275)`];
  return [`${go(tMs)} 重载模板`];
}

/**
 * Writes running.log: `plan.instances` (start, end, how it ended) drive what is printed.
 * Records into each death where its evidence is (`appLine`).
 */
export async function writeRunningLog(sink, plan, targetBytes, rng) {
  const go = goStamp();
  const { startMs, endMs } = plan;
  const dur = endMs - startMs;
  const events = [];
  for (const inst of plan.instances) {
    events.push({ at: inst.startMs, kind: 'start', inst });
    if (inst.death) events.push({ at: inst.death.printAtMs ?? inst.death.diedAtMs, kind: 'death', inst });
  }
  events.sort((a, b) => a.at - b.at);
  let ei = 0;
  let alive = null;
  let bytes = 0;
  let lineNo = 0;
  let lastT = startMs;
  const chunk = [];
  let chunkChars = 0;
  const emit = (line) => {
    chunk.push(line);
    chunkChars += line.length + 1;
    lineNo++;
  };
  for (;;) {
    let done = false;
    while (chunkChars < 1 << 20) {
      let t = startMs + dur * (bytes / targetBytes);
      if (t >= endMs) {
        done = true;
        break;
      }
      if (t < lastT) t = lastT;
      while (ei < events.length && events[ei].at <= t) {
        const ev = events[ei++];
        if (ev.kind === 'start') {
          alive = ev.inst;
          ev.inst.appStartLine = lineNo + 1 + (ev.inst.byHand ? 1 : 0);
          for (const line of startLines(go, ev.at, ev.inst.byHand)) emit(line);
          lastT = Math.max(lastT, ev.at + 1000);
        } else {
          const d = ev.inst.death;
          if (d.cause === 'go-panic') {
            const trace = PANIC_TRACES[d.variant % PANIC_TRACES.length];
            d.appLine = lineNo + 1;
            for (const line of trace.head) emit(line);
            emit('');
            emit(`goroutine ${rng.int(100, 90000)} [running]:`);
            for (const line of trace.frames) emit(line);
          } else if (d.cause === 'go-fatal') {
            d.appLine = lineNo + 1;
            for (const line of FATAL_TRACE) emit(line);
          } else if (d.cause === 'host-reboot') {
            // systemd stops cron.service on the way down: SIGTERM reaches the app, which says goodbye.
            d.appLine = lineNo + 1;
            emit(`${go(ev.at)} 退出 terminated`);
            emit(`${go(ev.at)} 监听到退出信号`);
          } else {
            // A SIGKILL (kernel OOM killer, kill -9 by stop.sh) leaves nothing: the output just stops.
            d.appLine = lineNo;
          }
          alive = null;
          lastT = Math.max(lastT, ev.at);
        }
      }
      if (t < lastT) t = lastT;
      if (alive === null) {
        // Nothing is printed while the app is down; jump the byte clock to the next start.
        const next = events[ei];
        if (!next) {
          done = true;
          break;
        }
        bytes = Math.max(bytes, Math.ceil(((next.at - startMs) / dur) * targetBytes));
        continue;
      }
      const lines = normalLines(rng, go, t);
      for (const line of lines) {
        emit(line);
        bytes += Buffer.byteLength(line) + 1; // bytes, not UTF-16 units: some lines are Chinese
      }
    }
    if (chunk.length > 0) await sink.write(chunk.join('\n') + '\n');
    chunk.length = 0;
    chunkChars = 0;
    if (done) break;
  }
  return { lines: lineNo };
}

/** Writes check.log: one line a minute from start.sh, stop.sh's PID line, nothing while the host is down. */
export async function writeCheckLog(sink, plan) {
  const stamp = checkStamp();
  const out = [];
  let lineNo = 0;
  const emit = (line) => {
    out.push(line);
    lineNo++;
  };
  const stops = plan.instances.filter((i) => i.death?.cause === 'stopped').map((i) => i.death);
  let si = 0;
  for (const tick of plan.cronTicks) {
    while (si < stops.length && stops[si].diedAtMs <= tick.atMs) {
      const d = stops[si++];
      d.checkStopLine = lineNo + 1;
      // stop.sh writes the PIDs it found, glued together, then kill -9s them.
      emit(`${stamp(d.stopLineMs)} anqicms PID check: ${d.pid}`);
    }
    if (tick.restart) tick.restart.death.checkLine = lineNo + 1;
    emit(`${stamp(tick.atMs)} anqicms PID check: ${tick.count}`);
  }
  await sink.write(out.join('\n') + '\n');
  return { lines: lineNo };
}
