import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanAppLine, readStamp, recogniseAppLine } from '../../src/recognise/app.js';
import { isRuntimeFrame, recogniseTraceLine } from '../../src/recognise/go-trace.js';

const local = (year: number, month: number, day: number, hour: number, minute: number, second: number, micros = 0) =>
  ({ year, month, day, hour, minute, second, micros });

test('a Go log stamp is read to the second, with microseconds when the log prints them', () => {
  assert.deepEqual(readStamp('2024/07/23 10:05:02 hello'), {
    stamp: { local: local(2024, 7, 23, 10, 5, 2), precision: 'second' }, rest: 'hello',
  });
  assert.deepEqual(readStamp('2024/07/23 10:05:02.0123 hello'), {
    stamp: { local: local(2024, 7, 23, 10, 5, 2, 12300), precision: 'microsecond' }, rest: 'hello',
  });
});

test('the MySQL driver and Iris/golog stamps are read; golog stops at the minute', () => {
  assert.deepEqual(readStamp('[mysql] 2024/07/23 10:00:01 packets.go:37: unexpected EOF'), {
    stamp: { local: local(2024, 7, 23, 10, 0, 1), precision: 'second' }, rest: 'packets.go:37: unexpected EOF',
  });
  assert.deepEqual(readStamp('[ERRO] 2024/07/23 10:00 template not found'), {
    stamp: { local: local(2024, 7, 23, 10, 0, 0), precision: 'minute' }, rest: 'template not found',
  });
});

test('impossible dates are not stamps', () => {
  assert.equal(readStamp('2024/13/45 10:00:01 x').stamp, null);
  assert.equal(readStamp('2024/07/23 24:00:01 x').stamp, null);
  assert.equal(readStamp('[ERRO] 2024/07/23 10:61 x').stamp, null);
});

test('colour codes and carriage returns are removed (GORM lines start with \\r)', () => {
  assert.equal(cleanAppLine('\r\x1b[32m2024/07/23 10:05:10 /a/b.go:88\x1b[0m\x1b[33m SLOW SQL >= 200ms\r'),
    '2024/07/23 10:05:10 /a/b.go:88 SLOW SQL >= 200ms');
  assert.equal(cleanAppLine('\x1b[1;31mred\x1b[K'), 'red');
});

test('the ExecPath line opens a start; a GORM file:line line does not', () => {
  const exec = recogniseAppLine('2024/07/23 10:05:02 /www/wwwroot/anqicms.com/');
  assert.equal(exec.kind, 'exec-path');
  assert.equal(exec.kind === 'exec-path' && exec.path, '/www/wwwroot/anqicms.com/');
  assert.equal(exec.stamp?.local.second, 2);
  assert.equal(recogniseAppLine('2024/07/23 10:05:10 /www/anqicms/provider/article.go:88 SLOW SQL >= 200ms').kind, 'other');
  assert.equal(recogniseAppLine('/www/wwwroot/anqicms.com/').kind, 'other'); // no stamp: not log.Println
});

test('the Iris banners, new and old, and nohup are start lines', () => {
  const version = recogniseAppLine('Iris Version: 12.2.11');
  assert.ok(version.kind === 'iris-version' && version.version === '12.2.11');
  const bare = recogniseAppLine('Now listening on: ');
  assert.ok(bare.kind === 'now-listening' && bare.address === null);
  const old = recogniseAppLine('Now listening on: http://localhost:8001');
  assert.ok(old.kind === 'now-listening' && old.address === 'http://localhost:8001');
  const network = recogniseAppLine('> Network:  http://10.0.0.5:8001');
  assert.ok(network.kind === 'banner' && network.what === 'network' && network.address === 'http://10.0.0.5:8001');
  assert.equal(recogniseAppLine('Application started. Press CTRL+C to shut down.').kind, 'banner');
  const visit = recogniseAppLine('2024/07/23 10:05:03 请手动在浏览器输入访问地址： http://127.0.0.1:8001');
  assert.ok(visit.kind === 'banner' && visit.what === 'visit-address' && visit.address === 'http://127.0.0.1:8001');
  assert.equal(recogniseAppLine('nohup: ignoring input').kind, 'nohup');
});

test('goodbye, admin restart and template reload lines are recognised', () => {
  const exit = recogniseAppLine('退出 terminated');
  assert.ok(exit.kind === 'exit-signal' && exit.signal === 'terminated');
  assert.equal(recogniseAppLine('退出 hangup').kind, 'exit-signal');
  assert.equal(recogniseAppLine('监听到退出信号').kind, 'exit-heard');
  assert.equal(recogniseAppLine('监听到路由更改').kind, 'route-changed');
  assert.equal(recogniseAppLine('2024/07/23 09:30:00 进程结束，开始重启').kind, 'restarting');
  assert.equal(recogniseAppLine('重载模板').kind, 'template-reload');
});

test('start-up failures carry their cause', () => {
  const cases: Array<[string, string]> = [
    ['端口已经被占用，可能软件已经启动', 'port-in-use'],
    ['2024/07/23 10:00:01 listen tcp :8001: bind: address already in use', 'port-in-use'],
    ['[ERRO] 2024/07/23 10:04 listen tcp 0.0.0.0:8001: bind: address already in use', 'port-in-use'],
    ["Invalid Config:  invalid character '}' looking for beginning of object key string", 'invalid-config'],
    ['Failed To Connect Database:  dial tcp 127.0.0.1:3306: connect: connection refused', 'database-unreachable'],
  ];
  for (const [text, cause] of cases) {
    const line = recogniseAppLine(text);
    assert.equal(line.kind === 'startup-failure' && line.cause, cause, text);
  }
});

test('isLimiting lines and NUL padding are recognised', () => {
  assert.equal(recogniseAppLine('isLimiting 1 429').kind, 'is-limiting');
  assert.equal(recogniseAppLine('\0\0\0\0').kind, 'nul-padding');
  assert.equal(recogniseAppLine('\r').kind, 'blank');
});

test('panic lines are read with or without a log prefix, colours or indentation', () => {
  for (const text of [
    'panic: runtime error: index out of range [5] with length 3',
    '2024/07/23 10:00:01 panic: runtime error: index out of range [5] with length 3',
    '\r\x1b[31mpanic: runtime error: index out of range [5] with length 3\x1b[0m',
  ]) {
    const line = recogniseAppLine(text);
    assert.ok(line.kind === 'trace' && line.trace.kind === 'panic', text);
    assert.equal(line.trace.message, 'runtime error: index out of range [5] with length 3');
  }
  const repanic = recogniseAppLine('\tpanic: second [recovered]');
  assert.ok(repanic.kind === 'trace' && repanic.trace.kind === 'panic' && repanic.trace.recovered && repanic.trace.message === 'second');
});

test('fatal errors and the runtime\'s explanations are read, with the out-of-memory numbers', () => {
  assert.deepEqual(recogniseTraceLine('fatal error: concurrent map writes'), { kind: 'fatal-error', message: 'concurrent map writes' });
  assert.deepEqual(recogniseTraceLine('runtime: out of memory: cannot allocate 4194304-byte block (1234567 in use)'), {
    kind: 'runtime-says', message: 'out of memory: cannot allocate 4194304-byte block (1234567 in use)',
    cannotAllocateBytes: 4194304, inUseBytes: 1234567,
  });
  assert.deepEqual(recogniseTraceLine('runtime: program exceeds 10000-thread limit'), {
    kind: 'runtime-says', message: 'program exceeds 10000-thread limit', cannotAllocateBytes: null, inUseBytes: null,
  });
});

test('signal lines, goroutine headers old and new, runtime stack and created-by are read', () => {
  assert.deepEqual(recogniseTraceLine('[signal SIGSEGV: segmentation violation code=0x1 addr=0x180 pc=0x1092728]'), {
    kind: 'signal', text: '[signal SIGSEGV: segmentation violation code=0x1 addr=0x180 pc=0x1092728]', signal: 'SIGSEGV',
  });
  assert.deepEqual(recogniseTraceLine('goroutine 132 [running]:'), { kind: 'goroutine', id: 132, state: 'running' });
  assert.deepEqual(recogniseTraceLine('goroutine 0 gp=0x1bd4e80 m=12 mp=0xc000580008 [idle]:'), { kind: 'goroutine', id: 0, state: 'idle' });
  assert.deepEqual(recogniseTraceLine('goroutine 1 gp=0xc0000061c0 m=nil [select, 2 minutes]:'), {
    kind: 'goroutine', id: 1, state: 'select, 2 minutes',
  });
  assert.deepEqual(recogniseTraceLine('runtime stack:'), { kind: 'runtime-stack' });
  assert.deepEqual(recogniseTraceLine('created by net/http.(*Server).Serve in goroutine 1'), {
    kind: 'created-by', function: 'net/http.(*Server).Serve',
  });
  assert.deepEqual(recogniseTraceLine('SIGABRT: abort'), { kind: 'signal-dump', signal: 'SIGABRT', message: 'abort' });
});

test('frames: function lines with receivers, generics and Go 1.21 panic({…}); file lines with or without the tab and fp=', () => {
  assert.deepEqual(recogniseTraceLine('kandaoni.com/anqicms/provider.(*TitleImage).drawTitle(0xc0004a2000, {0xc000c1e000, 0x1e})'), {
    kind: 'frame-function', function: 'kandaoni.com/anqicms/provider.(*TitleImage).drawTitle', args: '0xc0004a2000, {0xc000c1e000, 0x1e}',
  });
  assert.deepEqual(recogniseTraceLine('main.Map[...](...)'), { kind: 'frame-function', function: 'main.Map[...]', args: '...' });
  assert.deepEqual(recogniseTraceLine('panic({0x1029ee0?, 0x10b4e50?})'), {
    kind: 'frame-function', function: 'panic', args: '{0x1029ee0?, 0x10b4e50?}',
  });
  assert.deepEqual(recogniseTraceLine('/www/anqicms/provider/titleImage.go:118 +0x47'), {
    kind: 'frame-file', file: '/www/anqicms/provider/titleImage.go', line: 118,
  });
  assert.deepEqual(recogniseTraceLine('/usr/local/go/src/runtime/panic.go:1077 +0x5c fp=0x7ffd5c1e0a10 sp=0x7ffd5c1e09e0 pc=0x43a1dc'), {
    kind: 'frame-file', file: '/usr/local/go/src/runtime/panic.go', line: 1077,
  });
  assert.deepEqual(recogniseTraceLine('/usr/local/go/src/runtime/asm_amd64.s:474'), {
    kind: 'frame-file', file: '/usr/local/go/src/runtime/asm_amd64.s', line: 474,
  });
  // the app recogniser strips the tab first
  const tabbed = recogniseAppLine('\t/www/anqicms/main.go:30 +0x85');
  assert.ok(tabbed.kind === 'trace' && tabbed.trace.kind === 'frame-file');
});

test('ordinary text is not taken for a frame: blanks in the name, no dot, or a stamp', () => {
  assert.equal(recogniseTraceLine('hello world(1)'), null);
  assert.equal(recogniseTraceLine('foo(bar)'), null);
  assert.equal(recogniseAppLine('2024/07/23 10:00:01 main.main()').kind, 'other');
  assert.equal(recogniseAppLine('{"msg":"panic: nope"}').kind, 'other');
});

test('runtime frames are told from the program\'s', () => {
  assert.equal(isRuntimeFrame('runtime.throw'), true);
  assert.equal(isRuntimeFrame('runtime.(*mcache).refill'), true);
  assert.equal(isRuntimeFrame('internal/runtime/maps.fatal'), true);
  assert.equal(isRuntimeFrame('panic'), true);
  assert.equal(isRuntimeFrame('main.main'), false);
  assert.equal(isRuntimeFrame('runtimex.Foo'), false);
});

test('hostile lines: a megabyte line is clipped and read quickly; a lone escape is harmless', () => {
  const started = Date.now();
  const huge = recogniseAppLine('2024/07/23 10:00:01 ' + 'a('.repeat(500_000) + ')');
  assert.equal(huge.kind, 'other');
  assert.equal(huge.text.length, 2000);
  const hugePanic = recogniseAppLine('panic: ' + 'x'.repeat(1_000_000));
  assert.equal(hugePanic.kind, 'trace');
  const frameish = recogniseAppLine('a.b(' + '('.repeat(5000) + ')');
  assert.ok(frameish.kind === 'trace' || frameish.kind === 'other');
  assert.ok(Date.now() - started < 2000);
  assert.equal(recogniseAppLine('\x1b[').text, '\x1b[');
  assert.equal(recogniseAppLine('\uFFFD\uFFFD 2024/07/23').kind, 'other');
});
