import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { testApp, type TestApp } from '../../../test/support/test-app.ts';

interface Received {
  to: string[];
  data: string;
}
const received: Received[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, done) {
    let data = '';
    stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
    stream.on('end', () => {
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
      done();
    });
  },
});
let t: TestApp;

before(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await testApp({ config: { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Nara <no-reply@nara.example>' } });
});
after(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

test('with SMTP configured, the welcome e-mail is delivered to the mail server and recorded once', async () => {
  await t.jobs.runDue();
  const account = await t.database.db.selectFrom('accounts').select(['id', 'email']).where('username', '=', 'resident1').executeTakeFirstOrThrow();
  assert.equal(received.length, 1);
  assert.deepEqual(received[0]!.to, [account.email]);
  assert.match(received[0]!.data, /Message-ID: <notification-\d+@nara>/i);
  assert.match(received[0]!.data, /Auto-Submitted: auto-generated/);
  const recorded = await t.database.db.selectFrom('mail_messages').selectAll().execute();
  assert.equal(recorded.length, 1);
  assert.equal(recorded[0]!.transport, 'smtp');
});

test('the development mailbox page is not offered when real e-mail is configured', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/dev/mailbox' });
  assert.equal(res.statusCode, 404);
});

test('when the mail server is down the e-mail waits and retries, and nothing is recorded as sent', async () => {
  const down = await testApp({ config: { smtpUrl: 'smtp://127.0.0.1:1' } });
  try {
    await down.jobs.runDue();
    const job = await down.database.db.selectFrom('jobs').selectAll().where('queue', '=', 'notifications.email').executeTakeFirstOrThrow();
    assert.equal(job.completed_at, null);
    assert.equal(job.failed_at, null);
    assert.match(job.last_error ?? '', /ECONNREFUSED/);
    assert.equal((await down.database.db.selectFrom('mail_messages').selectAll().execute()).length, 0);
  } finally {
    await down.close();
  }
});
