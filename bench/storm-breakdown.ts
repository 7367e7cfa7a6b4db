// Where the CPU goes during a login storm: sign-ins/s, /healthz latency, and the CPU of
// Nara's threads (HTTP, embedded database) and its password-hashing processes. Not a
// benchmark (no ceiling); a tool for finding the next bottleneck.
//   npm run bench:storm-breakdown            PROF=1 also writes a CPU profile to /tmp/prof
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runLoginStorm } from './login-storm.ts';
import { DEMO_PASSWORD } from '../src/modules/identity/demo-agencies.ts';

const profile = process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [];
const child = fork(path.join(import.meta.dirname, 'serve.ts'), ['nara', JSON.stringify({ config: { demoResidents: 500, rateLimitPerMinute: 1_000_000 } })], {
  stdio: ['ignore', 2, 2, 'ipc'],
  execArgv: ['--import', 'tsx', ...profile],
});
const url = await new Promise<string>((resolve) => child.once('message', (m: { url: string }) => resolve(m.url)));

const ticksOf = (stat: string) => {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
/** CPU ticks of every thread of `pid` and of its child processes, by a readable name. */
function sample(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const key = name === 'WorkerThread' ? `thread ${tid}` : name;
    out.set(key, (out.get(key) ?? 0) + ticksOf(stat));
  }
  for (const entry of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.set(`process ${entry}`, ticksOf(stat));
    } catch {
      // gone
    }
  }
  return out;
}

let before = new Map<string, number>();
let started = 0;
// Sample once the warm-up is over: rest 5 s + warm-up 2 s.
setTimeout(() => {
  before = sample(child.pid!);
  started = performance.now();
}, 7_500);
const result = await runLoginStorm(url, { browsers: 200, duration: 8, warmup: 2, restSeconds: 5, probeRate: 20, usernames: ['resident1', 'resident2', 'resident3'], password: DEMO_PASSWORD, pids: [child.pid!] }, () => {});
const seconds = (performance.now() - started) / 1000;
const after = sample(child.pid!);
console.log(`${result.signInsPerSecond.toFixed(1)} sign-ins/s; /healthz p99 ${result.healthz.storm.p99.toFixed(1)} ms (at rest ${result.healthz.rest.p99.toFixed(1)} ms); load generator lag p99 ${result.loadGeneratorLagP99.toFixed(1)} ms`);
for (const [name, ticks] of after) {
  const cores = (ticks - (before.get(name) ?? 0)) / 100 / seconds;
  if (cores >= 0.01) console.log(`  ${name.padEnd(18)} ${cores.toFixed(2)} cores`);
}
child.send({ cmd: 'close' });
await new Promise((resolve) => child.once('exit', resolve));
