// The public API, pinned: what `import … from 'oomscope'` gives a library user. Run by `npm run test:types` (tstyche).
// A change here is a change to the package's contract: say so in CHANGELOG.md.
import { describe, expect, test } from 'tstyche';
import * as api from '../src/index.js';
import {
  diagnose,
  UsageError,
  VERDICTS,
  type Advice,
  type Confidence,
  type CrashLoop,
  type DiagnoseIo,
  type DiagnoseOptions,
  type DiscoveryPlaces,
  type Evidence,
  type Incident,
  type Lang,
  type OomEvent,
  type OomKill,
  type Report,
  type Role,
  type SourceReport,
  type Summary,
  type Verdict,
  type Warning,
} from '../src/index.js';

test('the values a user can import are exactly these', () => {
  expect<keyof typeof api>().type.toBe<'diagnose' | 'UsageError' | 'VERDICTS'>();
  expect(api).type.not.toHaveProperty('analyse');
  expect(api).type.not.toHaveProperty('settingsFrom');
});

describe('diagnose', () => {
  test('takes options and io, both optional, and resolves to a Report', () => {
    expect(diagnose).type.toBe<(options?: DiagnoseOptions, io?: DiagnoseIo) => Promise<Report>>();
    expect(diagnose).type.toBeCallableWith();
    expect(diagnose).type.toBeCallableWith({ kernel: ['/var/log/kern.log'], check: ['check.log'], app: ['running.log'] });
    expect(diagnose).type.toBeCallableWith({ tz: 'Asia/Shanghai', year: 2024, bootTime: '2024-03-01T00:00:00Z', lang: 'zh-CN' }, { stdin: process.stdin });
  });

  test('rejects options it does not know and values out of range', () => {
    expect(diagnose).type.not.toBeCallableWith({ kernal: ['typo'] });
    expect(diagnose).type.not.toBeCallableWith({ lang: 'fr' });
    expect(diagnose).type.not.toBeCallableWith({ year: '2024' });
  });
});

describe('DiagnoseOptions', () => {
  test('every field is optional', () => {
    expect<Partial<DiagnoseOptions>>().type.toBe<DiagnoseOptions>();
  });

  test('its fields', () => {
    expect<DiagnoseOptions['kernel']>().type.toBe<string[] | undefined>();
    expect<DiagnoseOptions['check']>().type.toBe<string[] | undefined>();
    expect<DiagnoseOptions['app']>().type.toBe<string[] | undefined>();
    expect<DiagnoseOptions['dir']>().type.toBe<string[] | undefined>();
    expect<DiagnoseOptions['process']>().type.toBe<string | undefined>();
    expect<DiagnoseOptions['tz']>().type.toBe<string | undefined>();
    expect<DiagnoseOptions['year']>().type.toBe<number | undefined>();
    expect<DiagnoseOptions['bootTime']>().type.toBe<string | undefined>();
    expect<DiagnoseOptions['lang']>().type.toBe<Lang | undefined>();
    expect<DiagnoseOptions['places']>().type.toBe<DiscoveryPlaces | undefined>();
  });

  test('io carries stdin only', () => {
    expect<DiagnoseIo>().type.toBe<{ stdin?: NodeJS.ReadableStream }>();
  });
});

test('Lang', () => {
  expect<Lang>().type.toBe<'en' | 'zh-CN'>();
});

describe('UsageError', () => {
  test('is an Error with an optional fix', () => {
    expect(UsageError).type.toBeConstructableWith('bad flag');
    expect(UsageError).type.toBeConstructableWith('bad flag', 'use --tz UTC');
    expect(UsageError).type.not.toBeConstructableWith();
    expect<UsageError>().type.toBeAssignableTo<Error>();
    expect<UsageError['fix']>().type.toBe<string | undefined>();
  });

  test('a catalogued one says itself in any language', () => {
    expect(UsageError.of).type.toBeCallableWith('tz.unknown', { tz: 'Foo/Bar' });
    expect(UsageError.of).type.not.toBeCallableWith('no-such-code');
    expect<ReturnType<UsageError['inLanguage']>>().type.toBe<string>();
    expect(new UsageError('bad flag').inLanguage).type.toBeCallableWith('zh-CN');
  });

  test('its fix is read-only', () => {
    const error = new UsageError('bad flag');
    expect(() => {
      error.fix = 'x';
    }).type.toRaiseError('read-only');
  });
});

describe('the report', () => {
  test('verdicts: the list and the type agree', () => {
    expect<Verdict>().type.toBe<(typeof VERDICTS)[number]>();
    expect<Verdict>().type.toBe<
      | 'kernel-oom'
      | 'cgroup-oom'
      | 'userspace-oom'
      | 'go-runtime-oom'
      | 'go-panic'
      | 'go-fatal'
      | 'startup-failure'
      | 'stopped'
      | 'exited'
      | 'signaled'
      | 'killed'
      | 'host-reboot'
      | 'unknown'
    >();
    expect(VERDICTS).type.toBeAssignableTo<readonly Verdict[]>();
  });

  test('Report', () => {
    expect<Report['schemaVersion']>().type.toBe<1>();
    expect<Report['sources']>().type.toBe<SourceReport[]>();
    expect<Report['oomKills']>().type.toBe<OomKill[]>();
    expect<Report['oomEvents']>().type.toBe<OomEvent[]>();
    expect<Report['incidents']>().type.toBe<Incident[]>();
    expect<Report['summary']>().type.toBe<Summary>();
    expect<Report['warnings']>().type.toBe<Warning[]>();
  });

  test('Incident', () => {
    expect<Incident['verdict']>().type.toBe<Verdict>();
    expect<Incident['confidence']>().type.toBe<Confidence>();
    expect<Confidence>().type.toBe<'confirmed' | 'likely' | 'possible'>();
    expect<Incident['diedAt']>().type.toBe<string | null>();
    expect<Incident['evidence']>().type.toBe<Evidence[]>();
    expect<Incident['advice']>().type.toBe<Advice[]>();
  });

  test('Summary and Evidence', () => {
    expect<Summary['crashLoops']>().type.toBe<CrashLoop[]>();
    expect<Summary['byVerdict']>().type.toBe<Partial<Record<Verdict, number>>>();
    expect<Evidence['role']>().type.toBe<Role | undefined>();
    expect<Role>().type.toBe<'kernel' | 'guardian' | 'app'>();
  });
});
