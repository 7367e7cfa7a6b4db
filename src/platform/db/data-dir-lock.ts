import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The embedded database is one process's files: two processes writing them would corrupt
// them. A pid file in DATA_DIR says who owns it; a stale one (dead pid) is ignored.
const pidFile = (dataDir: string) => path.join(dataDir, 'nara.pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function isServerRunning(dataDir: string): boolean {
  const file = pidFile(dataDir);
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid);
}

/** Claims DATA_DIR for this process; throws if another live Nara process holds it. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  if (isServerRunning(dataDir)) throw new Error(`Another Nara process is using ${dataDir}. Stop it, or set DATA_DIR to another directory.`);
  writeFileSync(pidFile(dataDir), String(process.pid));
  return () => rmSync(pidFile(dataDir), { force: true });
}
