// Sample lines of the `[uptime]`-led shapes (bracket.ts), run by test/recognise/kernel/envelope-samples.test.ts.

import type { EnvelopeSample } from './envelope-types.js';

export const samples: EnvelopeSample[] = [
  {
    about: 'the uptime of a plain dmesg line, the stamp peeled',
    line: '[12345.678901] msg',
    want: { shape: 'dmesg', message: 'msg', uptime: 12345.678901, fromKernel: true, local: null, caller: null, continuation: false },
  },
  {
    about: 'an uptime padded with spaces inside the brackets',
    line: '[    0.000000] Linux version 6.8.0-45-generic',
    want: { shape: 'dmesg', uptime: 0, message: 'Linux version 6.8.0-45-generic' },
  },
  {
    about: 'an uptime padded with one space',
    line: '[ 5864.708440] memorymonster cpuset=/ mems_allowed=0',
    want: { shape: 'dmesg', uptime: 5864.70844, message: 'memorymonster cpuset=/ mems_allowed=0' },
  },
  {
    about: 'a large uptime keeps its microseconds',
    line: '[15180285.537297] php-fpm invoked oom-killer',
    want: { shape: 'dmesg', uptime: 15180285.537297, message: 'php-fpm invoked oom-killer' },
  },
  {
    about: 'only the one separating space goes; the kernel text keeps its indentation',
    line: '[  455.503298]  0000000000000000 ffff880069715a90',
    want: { shape: 'dmesg', message: ' 0000000000000000 ffff880069715a90' },
  },
  {
    about: 'a tab after the separating space is kept',
    line: '[    0.000000] \tRCU dyntick-idle grace-period acceleration is enabled.',
    want: { shape: 'dmesg', message: '\tRCU dyntick-idle grace-period acceleration is enabled.' },
  },
  {
    about: 'a PRINTK_CALLER thread id right after the uptime',
    line: '[12345.678901][ T3106] msg',
    want: { shape: 'dmesg', uptime: 12345.678901, caller: 'T3106', message: 'msg' },
  },
  {
    about: 'a PRINTK_CALLER CPU id',
    line: '[ 5864.708440][    C1] msg',
    want: { shape: 'dmesg', uptime: 5864.70844, caller: 'C1', message: 'msg' },
  },
  {
    about: 'util-linux dmesg prints the caller after the stamp and a space',
    line: '[12345.678901] [ T3106] msg',
    want: { shape: 'dmesg', caller: 'T3106', message: 'msg' },
  },
  {
    about: 'dmesg text that looks like "word word:" stays dmesg (no host word before a tag)',
    line: '[    5.100000] usb 1-1: new high-speed USB device number 2 using xhci_hcd',
    want: { shape: 'dmesg', message: 'usb 1-1: new high-speed USB device number 2 using xhci_hcd' },
  },
  {
    about: 'a "name[pid]:" right after the stamp is dmesg text, not a journal tag',
    line: '[    1.000000] systemd[1]: Started Journal Service.',
    want: { shape: 'dmesg', ident: null, message: 'systemd[1]: Started Journal Service.' },
  },
  {
    about: 'a "word (dev):" after the stamp is dmesg text',
    line: '[    4.414649] EXT4-fs (sda1): mounted filesystem',
    want: { shape: 'dmesg', message: 'EXT4-fs (sda1): mounted filesystem' },
  },
  {
    about: 'dmesg -d: uptime and the delta since the line before',
    line: '[12345.678901 <    0.000123>] msg',
    want: { shape: 'dmesg-delta', uptime: 12345.678901, deltaSeconds: 0.000123, message: 'msg', fromKernel: true },
  },
  {
    about: 'dmesg -d without time: the delta alone',
    line: '[<    2.500000>] msg',
    want: { shape: 'dmesg-delta', uptime: null, deltaSeconds: 2.5, message: 'msg' },
  },
  {
    about: 'a dmesg -e delta line',
    line: '[  +0.000123] msg',
    want: { shape: 'dmesg-reltime', deltaSeconds: 0.000123, local: null, uptime: null, message: 'msg' },
  },
  {
    about: 'a dmesg -e delta of whole seconds',
    line: '[ +12.500000] msg',
    want: { shape: 'dmesg-reltime', deltaSeconds: 12.5, message: 'msg' },
  },
  {
    about: 'journalctl short-monotonic: uptime, host and kernel tag',
    line: '[12345.678901] web01 kernel: msg',
    want: { shape: 'journal-short-monotonic', uptime: 12345.678901, host: 'web01', ident: 'kernel', fromKernel: true, message: 'msg' },
  },
  {
    about: 'journalctl short-monotonic of another program, with its pid',
    line: '[  100.000001] web01 systemd[1]: Started x',
    want: { shape: 'journal-short-monotonic', ident: 'systemd', identPid: 1, fromKernel: false, message: 'Started x' },
  },
];
