import { fork } from 'node:child_process';
import path from 'node:path';
import { runLoginStorm } from './login-storm.ts';
const child = fork(path.join(import.meta.dirname, 'serve.ts'), ['nara', JSON.stringify({ config: { demoResidents: 500, rateLimitPerMinute: 1_000_000 } })], { stdio: ['ignore', 2, 2, 'ipc'], execArgv: ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir=/tmp/prof'] });
const url = await new Promise<string>((resolve) => child.once('message', (m: { url: string }) => resolve(m.url)));
const r = await runLoginStorm(url, { browsers: 200, duration: 8, warmup: 2, restSeconds: 2, probeRate: 20, usernames: ['resident1', 'resident2', 'resident3'], password: 'nara-demo-2026', pids: [child.pid!] }, () => {});
console.log(r.signInsPerSecond.toFixed(1), 'sign-ins/s; healthz p99', r.healthz.storm.p99.toFixed(1), 'rest', r.healthz.rest.p99.toFixed(1));
child.send({ cmd: 'close' });
await new Promise((resolve) => child.once('exit', resolve));
