// What V8 may spend on a long-running daemon (watch, supervise) that idles most of its life (README, "Speed and memory").
import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's optimising compilers out of a daemon: TurboFan (JavaScript) and the wasm tier-up of the byte scanner
 * touch about 4 MiB of Node's own code that then stays resident for the daemon's life, for passes that take a
 * millisecond. Sparkplug and Liftoff still compile the hot code. These flags, unlike the heap sizes, take effect when
 * set at run time; they apply to this process only.
 */
export function spareDaemonCompilers(): void {
  setFlagsFromString('--max-opt=1');
  setFlagsFromString('--liftoff-only');
}
