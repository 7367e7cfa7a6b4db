import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread (nice 0 → `nice`), so the thread
 * that serves HTTP wins the CPU whenever it has work. Linux names each thread in
 * /proc/thread-self, and setpriority on a thread id affects that thread alone; elsewhere
 * this does nothing and returns false.
 */
export function lowerThreadPriority(nice: number): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid)) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}

/**
 * The nice value of V8's platform workers (and of certificate rendering): below the HTTP
 * and database threads (0), above password hashing (19). While certificates were issued
 * at full pace, these threads did a quarter of a core of garbage collection at the HTTP
 * thread's priority, and the home page's p99 went from 2.3–3.0 ms at rest to 7.3–8.1 ms;
 * at nice 10, 5.2–5.8 ms, with issuance 3 % slower. At 19 the database thread, left to
 * collect its garbage alone, took a third more CPU.
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers V8's platform worker threads (named `V8Worker`), which do garbage collection and
 * compilation for every thread of the process: a thread that lowered its own priority
 * would otherwise still have its garbage collected at the HTTP thread's priority. Returns
 * how many were lowered (0 elsewhere than Linux).
 */
export function lowerPlatformWorkerPriority(nice: number): number {
  let lowered = 0;
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== 'V8Worker') continue;
      setPriority(Number(tid), nice);
      lowered++;
    }
  } catch {
    // not Linux, or a thread gone meanwhile: those lowered stay so
  }
  return lowered;
}
