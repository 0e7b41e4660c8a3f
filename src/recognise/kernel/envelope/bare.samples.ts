// Sample lines with no prefix: kernel text that must not be mistaken for one, so the dispatch
// (index.ts) leaves it whole. Run by test/recognise/kernel/envelope-samples.test.ts.

import type { EnvelopeSample } from './envelope-types.js';

/** A bare line: the whole line is its message. */
function whole(about: string, line: string): EnvelopeSample {
  return { about, line, want: { shape: 'bare', message: line } };
}

export const samples: EnvelopeSample[] = [
  {
    about: 'the CPU: line of an OOM report',
    line: 'CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1',
    want: {
      shape: 'bare', message: 'CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1', fromKernel: null, uptime: null, local: null,
    },
  },
  whole('a zone line', 'Node 0 DMA free:15908kB min:128kB low:160kB high:192kB'),
  whole('a counter line led by a number', '6291345 pages RAM'),
  whole('a word and a colon', 'Mem-Info:'),
  whole('a kill line without stamps', 'Out of memory: Killed process 2074 (anqicms) total-vm:4123456kB'),
  {
    about: 'the task-table header is no uptime',
    line: '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
    want: { shape: 'bare', uptime: null, message: '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name' },
  },
  whole('an older task-table header', '[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name'),
  {
    about: 'a task-table row: a bracketed number without a decimal point is no uptime',
    line: '[   2074]     0  2074  1030864   996913  8110080        0             0 anqicms',
    want: { shape: 'bare', uptime: null, message: '[   2074]     0  2074  1030864   996913  8110080        0             0 anqicms' },
  },
  whole('an unpadded task-table row', '[13536] 275858 13536  8389663      343   16267  8324326             0 memorymonster'),
  {
    about: 'an indented unstamped line is a continuation, kept whole',
    line: '                           file 688283648',
    want: { shape: 'bare', continuation: true, message: '                           file 688283648' },
  },
  {
    about: 'a line indented by one space is a continuation',
    line: ' active_file:43 inactive_file:127',
    want: { shape: 'bare', continuation: true, message: ' active_file:43 inactive_file:127' },
  },
  whole('a bracketed function name with a time in the text', '[drm:intel_dp_detect] 10:04 nonsense'),
  whole('a bracketed firmware notice', '[Firmware Bug]: TSC_DEADLINE disabled'),
  whole('a stack frame address', '[<ffffffff81720bf6>] dump_stack+0x45/0x56'),
  whole('JSON that is not a journal entry', '{"level":"info","msg":"hello"}'),
  whole('unterminated JSON', '{"MESSAGE": "unterminated'),
];
