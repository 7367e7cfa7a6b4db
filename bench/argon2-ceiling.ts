// Child-process entry of measureArgon2 (bench/lib.ts): the argon2id verify ceiling, in a
// process of its own like each server, so that it has a libuv thread pool of the same
// size and the same cores as Nara's process, and nothing else on its event loop.
import { performance } from 'node:perf_hooks';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2_PARAMS } from '../src/modules/identity/passwords.ts';

export interface Argon2Options {
  /** verifications in flight at once */
  inFlight: number;
  /** seconds counted */
  duration: number;
  /** seconds of the same load before counting, discarded */
  warmup: number;
}

export interface Argon2Message {
  /** sent when the warm-up is over, so that the parent measures the CPU of the same window */
  counting?: true;
  verifies?: number;
  /** verifications that did not answer true: the ceiling would be measuring something else */
  wrong?: number;
  seconds?: number;
  error?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Argon2Options;
const password = 'nara-bench-argon2-ceiling';

try {
  // The library itself on libuv's thread pool, with exactly the parameters sign-in uses:
  // the raw rate, not Nara's hashing processes (whose overhead is part of what is measured).
  const stored = await hash(password, ARGON2_PARAMS);
  let counting = false;
  let stopped = false;
  let verifies = 0;
  let wrong = 0;
  const loop = async () => {
    while (!stopped) {
      const ok = await verify(stored, password);
      if (!counting || stopped) continue;
      if (ok) verifies++;
      else wrong++;
    }
  };
  for (let i = 0; i < options.inFlight; i++) void loop();
  await new Promise((resolve) => setTimeout(resolve, options.warmup * 1000));
  counting = true;
  process.send!({ counting: true } satisfies Argon2Message);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.duration * 1000));
  stopped = true;
  const seconds = (performance.now() - started) / 1000;
  // The verifications still queued would take seconds to finish and count for nothing;
  // exiting abandons them, so the next measurement starts on an idle machine.
  process.send!({ verifies, wrong, seconds } satisfies Argon2Message, () => process.exit(0));
} catch (error) {
  process.send!({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Argon2Message, () => process.exit(1));
}
