import type { DiscoveryPlaces } from './read/find-inputs.js';

// What a diagnosis is asked to read and how to place it in time; the CLI's flags map onto this one to one.

export interface DiagnoseOptions {
  /** Kernel log sources: file paths, `-` for stdin, or live sources `kmsg`, `journal`, `dmesg`. */
  kernel?: string[];
  /** Guardian logs (check.log). */
  check?: string[];
  /** Application logs (running.log). */
  app?: string[];
  /** AnQiCMS install directories. */
  dir?: string[];
  /** The watched process; matched against kernel `comm` by its first 15 bytes. Default `anqicms`. */
  process?: string;
  /** IANA zone that zone-less stamps are read in and every output time is written in. Default: the system zone. */
  tz?: string;
  /** The year of the first line of each year-less input. */
  year?: number;
  /**
   * Threads a diagnosis may use (the CLI's `--threads`): a big running.log is read on one, a kernel log of 64 MiB or
   * more is scanned on the others. Default: one per core; 1 reads everything in this thread. The report is the same.
   */
  threads?: number;
  /** ISO-8601 boot time of the last boot in each kernel input. */
  bootTime?: string;
  /** Language of human text (warnings, advice). */
  lang?: 'en' | 'zh-CN';
  /** Read no guardian log, no application log, no kernel log (the CLI's `--no-check`, `--no-app`, `--no-kernel`). */
  noCheck?: boolean;
  noApp?: boolean;
  noKernel?: boolean;
  /**
   * Look for each role that is not named (the CLI does): `--dir` alone still finds the kernel log, `--kernel` alone
   * the install directory's logs. Without it, discovery runs only when no input at all is named.
   */
  discoverUnnamed?: boolean;
  /** Where discovery looks when no input is named (tests point it at a folder of their own). */
  places?: DiscoveryPlaces;
}
