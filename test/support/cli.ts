import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The operator's tool as operators run it (`npm run nara -- …`), on an embedded database of
 * its own in a fresh data directory; returns the exit code, stdout, and both outputs together.
 */
export function cliRunner(name: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `nara-${name}-`));
  return (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, DEMO_RESIDENTS: '20', LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, encoding: 'utf8', timeout: 120_000 });
    return { code: result.status, stdout: result.stdout, out: `${result.stdout}${result.stderr}` };
  };
}
