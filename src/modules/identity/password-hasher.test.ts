import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createPasswordHasher } from './password-hasher.ts';

const params = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

test('hashing runs in child processes at the lowest priority, and verifies what it hashed', async () => {
  const hasher = createPasswordHasher(2);
  const stored = await hasher.hash('bright harbour lights', params);
  assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  const [right, wrong] = await Promise.all([hasher.verify(stored, 'bright harbour lights'), hasher.verify(stored, 'bright harbour light')]);
  assert.deepEqual([right, wrong], [true, false]);
  await assert.rejects(hasher.verify('not a hash', 'x'), 'a malformed hash is an error, not a pass');
  if (!existsSync('/proc/self/stat')) return;
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((pid) => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return { ppid: Number(fields[1]), nice: Number(fields[16]), cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8') };
      } catch {
        return undefined;
      }
    })
    .filter((p) => p && p.ppid === process.pid && p.cmd.includes('password-hasher-worker'));
  assert.ok(children.length >= 1);
  assert.ok(children.every((c) => c!.nice === 19), 'every hashing process runs at nice 19');
});

test('a hashing process that dies with a job in hand is replaced, and the job is done by another', async () => {
  const hasher = createPasswordHasher(1);
  const stored = await hasher.hash('quiet river morning', params);
  const [pid] = hasher.pids();
  const pending = hasher.verify(stored, 'quiet river morning');
  process.kill(pid!, 'SIGKILL');
  assert.equal(await pending, true, 'the job survived its process');
  assert.notDeepEqual(hasher.pids(), [pid], 'a new process took over');
});
