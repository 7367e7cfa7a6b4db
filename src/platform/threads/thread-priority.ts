import { readlinkSync } from 'node:fs';
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
