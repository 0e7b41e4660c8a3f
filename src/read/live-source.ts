// Reads the running machine's kernel log itself: /dev/kmsg without blocking, or the output of dmesg or journalctl.
import { closeSync, readFileSync } from 'node:fs';
import { drainKmsg, openKmsg } from './kmsg.js';
import { InputError } from './input-error.js';

export type LiveSourceName = 'kmsg' | 'journal' | 'dmesg';

const LIVE_SOURCES: readonly LiveSourceName[] = ['kmsg', 'journal', 'dmesg'];

export function isLiveSource(name: string): name is LiveSourceName {
  return (LIVE_SOURCES as readonly string[]).includes(name);
}

/** journalctl reads every boot and, besides the kernel, the programs that kill for memory or report it. */
export const JOURNAL_ARGS = [
  '-o', 'json', '--no-pager', '-q',
  '_TRANSPORT=kernel', '+', 'SYSLOG_IDENTIFIER=earlyoom', '+', 'SYSLOG_IDENTIFIER=systemd-oomd', '+',
  'SYSLOG_IDENTIFIER=nohang', '+', 'SYSLOG_IDENTIFIER=systemd',
];

export interface LiveRead {
  chunks: AsyncIterable<Buffer>;
  /** Records lost while reading (kmsg's ring buffer overwrote them). */
  gaps: () => number;
}

/** The current boot's start from /proc/stat `btime`, in epoch ms; null where unreadable. */
export function currentBootTimeMs(): number | null {
  try {
    const stat = readFileSync('/proc/stat', 'latin1');
    const m = /^btime (\d+)$/m.exec(stat);
    return m ? Number(m[1]) * 1000 : null;
  } catch {
    return null;
  }
}

export function openLiveSource(name: LiveSourceName): LiveRead {
  if (name === 'kmsg') return readKmsg();
  const [command, args] = name === 'dmesg' ? ['dmesg', [] as string[]] : ['journalctl', JOURNAL_ARGS];
  return { chunks: runCommand(name, command, args), gaps: () => 0 };
}

function readKmsg(): LiveRead {
  let fd: number;
  try {
    fd = openKmsg();
  } catch (error) {
    const base = InputError.fromSystem('kmsg', error);
    if (base.code === 'permission-denied') throw new InputError('kmsg', 'permission-denied', 'input-unreadable/kmsg-permission-denied');
    if (base.code === 'not-found') throw new InputError('kmsg', 'live-unavailable', 'input-unreadable/kmsg-not-found');
    throw new InputError('kmsg', 'live-unavailable', 'input-unreadable/kmsg-failed', { error: (error as Error)?.message ?? String(error) });
  }
  let lost = 0;
  async function* records(): AsyncGenerator<Buffer> {
    const buffer = Buffer.alloc(16 * 1024);
    const batch: Buffer[] = [];
    try {
      // The ring buffer is small (a few MiB at most): read it all, then hand it over as one chunk.
      drainKmsg(fd, buffer, {
        record(bytes) {
          const copy = Buffer.from(bytes);
          batch.push(copy[copy.length - 1] === 10 ? copy : Buffer.concat([copy, Buffer.from('\n')]));
        },
        lost: () => lost++,
      });
    } catch (error) {
      throw InputError.fromSystem('kmsg', error);
    } finally {
      closeSync(fd);
    }
    if (batch.length > 0) yield Buffer.concat(batch);
  }
  return { chunks: records(), gaps: () => lost };
}

async function* runCommand(name: string, command: string, args: string[]): AsyncGenerator<Buffer> {
  // Loaded here, not on start: child_process (with net behind it) is a tenth of Node's start-up, and most runs read files.
  const { spawn } = await import('node:child_process');
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', SYSTEMD_COLORS: '0' } });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => {
    if (stderr.length < 2000) stderr += data.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  let spawnError: unknown = null;
  exited.catch((error) => (spawnError = error));
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
  const code = await exited.catch(() => null);
  if (spawnError) {
    throw new InputError(name, 'live-unavailable', 'input-unreadable/command-missing', { command, error: (spawnError as Error).message });
  }
  if (code !== 0) {
    const said = { status: String(code), stderr: stderr.trim().split('\n')[0] ?? '' };
    throw new InputError(name, 'live-unavailable', command === 'dmesg' ? 'input-unreadable/dmesg-failed' : 'input-unreadable/journalctl-failed', said);
  }
}
