// /dev/kmsg read without blocking: one record per read, EAGAIN at the end, EPIPE where the ring buffer overwrote records.
import { openSync, readSync, constants } from 'node:fs';

/** Opens /dev/kmsg for reading without blocking; throws the system error. */
export function openKmsg(): number {
  return openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
}

export interface KmsgDrain {
  /** One record as read (its `prefix;message` line and any dictionary lines); valid only during the call. */
  record(bytes: Buffer): void;
  /** The kernel overwrote records before they were read (EPIPE). */
  lost(): void;
}

/** Reads every record available now, then returns (EAGAIN). Errors other than EAGAIN and EPIPE are thrown. */
export function drainKmsg(fd: number, buffer: Buffer, drain: KmsgDrain): void {
  for (;;) {
    let count: number;
    try {
      count = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return;
      if (code === 'EPIPE') {
        drain.lost();
        continue;
      }
      throw error;
    }
    if (count === 0) return;
    drain.record(buffer.subarray(0, count));
  }
}
