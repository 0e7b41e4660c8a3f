// A stand-in for AnQiCMS (a Go web server) for oomscope's real-kernel tests.
//
// Run it with a hard link (or copy) of the node binary named `anqicms`, so that the kernel's
// comm for the process is `anqicms` (the kernel prints comm in its OOM records) and
// `ps -ef | grep '\<anqicms\>'` finds it, exactly like the real binary:
//
//     ln "$(command -v node)" /tmp/rt/anqicms && /tmp/rt/anqicms /tmp/rt/anqicms.mjs
//
// (test/real-kernel/README.md: how the guardian's `nohup ./anqicms` reaches it.)
//
// It prints what AnQiCMS prints (docs/formats.md §2) to stdout/stderr, both of which the
// guardian sends to running.log:
//   - `YYYY/MM/DD HH:MM:SS <ExecPath>` (Go log.Println, host local time: honours TZ),
//   - the Iris v12.2 banner, and about 1 s later `YYYY/MM/DD HH:MM:SS 请手动在浏览器输入访问地址： http://…`,
//   - a few ordinary Go log lines.
// HTTP on 127.0.0.1:PORT (PORT from `--port N`, else $ANQICMS_PORT, else 8001):
//   GET /        200 "ok <pid>"              (readiness probe)
//   GET /leak    200, then allocates 4 MiB Buffers every 20 ms, touching every page so they are
//                resident, and never frees them: inside a memory cgroup the kernel OOM killer ends it.
//                A safety cap ($ANQICMS_LEAK_MAX_MB, default 1024) stops the growth if nothing kills it.
//   GET /panic   prints a Go-shaped nil-pointer panic to stderr and exits with code 2.
//   GET /stop    like SIGTERM: prints `退出 terminated`, `监听到退出信号`, exits 0.
// SIGTERM / SIGINT / SIGHUP / SIGQUIT: `退出 <terminated|interrupt|hangup|quit>`, `监听到退出信号`, exit 0.
// Port already in use: `端口已经被占用，可能软件已经启动`, exit 255 (as AnQiCMS does).
//
// Every write is synchronous (fs.writeSync), so nothing is lost when the process is SIGKILLed.
import { writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { cwd } from 'node:process';

const OUT = 1;
const ERR = 2;

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

/** Go's log.Println prefix: `2006/01/02 15:04:05 ` in local time. */
function goStamp(d = new Date()) {
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function out(text) {
  writeSync(OUT, text);
}
function goLog(message, fd = OUT) {
  writeSync(fd, `${goStamp()} ${message}\n`);
}

function portFromArgs() {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--port');
  const raw = i >= 0 ? argv[i + 1] : process.env.ANQICMS_PORT;
  const port = Number(raw ?? 8001);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    writeSync(ERR, `anqicms stand-in: bad port ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return port;
}

const port = portFromArgs();
// AnQiCMS logs its ExecPath (the directory of the executable, with a trailing slash). The guardian
// runs it from its install dir (`cd $BINPATH && nohup $BINPATH/anqicms …`), so that is the cwd.
const execDir = (process.env.ANQICMS_EXEC_DIR ?? cwd()).replace(/\/?$/, '/');

goLog(execDir);

const held = []; // the leak: never released
let leaking = false;
let leakedMiB = 0;
let exiting = false;

function goodbye(signalName) {
  if (exiting) return;
  exiting = true;
  // fmt.Println("退出", sig) then log of the shutdown, as AnQiCMS's main.go does.
  out(`退出 ${signalName}\n`);
  out('监听到退出信号\n');
  process.exit(0);
}

function goPanic() {
  if (exiting) return;
  exiting = true;
  const trace = [
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x1092728]',
    '',
    'goroutine 132 [running]:',
    'kandaoni.com/anqicms/provider.(*Website).GenerateTitleImage(0xc000123456, {0xc0004a2000, 0x10})',
    '\t/www/wwwroot/anqicms/provider/titleImage.go:274 +0x47',
    'kandaoni.com/anqicms/provider.(*Website).CollectArticle.func1()',
    '\t/www/wwwroot/anqicms/provider/collector.go:201 +0x3c5',
    'created by kandaoni.com/anqicms/provider.(*Website).CollectArticle in goroutine 121',
    '\t/www/wwwroot/anqicms/provider/collector.go:188 +0x2f1',
    '',
  ].join('\n');
  writeSync(ERR, trace);
  process.exit(2);
}

function leakStep(maxMiB) {
  if (leakedMiB >= maxMiB) {
    goLog(`leak stopped at the ${maxMiB} MiB safety cap without being killed`, ERR);
    return;
  }
  const block = Buffer.allocUnsafe(4 << 20);
  // A non-zero fill writes every page, so the block is resident (zero pages from mmap would not be).
  block.fill((held.length % 250) + 1);
  held.push(block);
  leakedMiB += 4;
  setTimeout(leakStep, 20, maxMiB);
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/':
      res.end(`ok ${process.pid}\n`);
      return;
    case '/leak': {
      res.end(`leaking ${process.pid}\n`);
      if (!leaking) {
        leaking = true;
        goLog('正在生成标题图片缓存');
        const maxMiB = Number(process.env.ANQICMS_LEAK_MAX_MB ?? 1024);
        setImmediate(leakStep, Number.isFinite(maxMiB) && maxMiB > 0 ? maxMiB : 1024);
      }
      return;
    }
    case '/panic':
      // A Go panic in a goroutine ends the process before any response is written.
      goPanic();
      return;
    case '/stop':
      res.end(`stopping ${process.pid}\n`, () => goodbye('terminated'));
      return;
    default:
      res.statusCode = 404;
      res.end('404 page not found\n');
  }
});

server.on('error', (err) => {
  if (err && err.code === 'EADDRINUSE') {
    out('端口已经被占用，可能软件已经启动\n');
    process.exit(255);
  }
  writeSync(ERR, `listen tcp 127.0.0.1:${port}: ${err?.message}\n`);
  process.exit(1);
});

for (const [signal, goName] of [
  ['SIGTERM', 'terminated'],
  ['SIGINT', 'interrupt'],
  ['SIGHUP', 'hangup'],
  ['SIGQUIT', 'quit'],
]) {
  process.on(signal, () => goodbye(goName));
}

server.listen(port, '127.0.0.1', () => {
  out(
    [
      'Iris Version: 12.2.11',
      '',
      'Now listening on: ',
      `> Network:  http://127.0.0.1:${port}`,
      `> Local:    http://localhost:${port}`,
      'Application started. Press CTRL+C to shut down.',
      '',
    ].join('\n'),
  );
  setTimeout(() => {
    goLog(`载入sego词典 ${execDir}dictionary.txt`);
    goLog('sego词典载入完毕');
  }, 300);
  setTimeout(() => goLog(`请手动在浏览器输入访问地址： http://127.0.0.1:${port}`), 1000);
});
