import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrowserConnection, ConnectionPool, parseResponse } from '../bench/http-client.ts';

test('a response is read only once all of it has arrived, by its length or its chunks', () => {
  const whole = Buffer.from('HTTP/1.1 303 See Other\r\nLocation: /\r\nSet-Cookie: a=1; Path=/\r\nset-cookie: b=2\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK');
  for (let cut = 0; cut < whole.indexOf('hello') + 5; cut++) assert.equal(parseResponse(whole.subarray(0, cut)), undefined, `complete after ${cut} bytes`);
  const parsed = parseResponse(whole)!;
  assert.equal(parsed.answer.status, 303);
  assert.deepEqual(parsed.answer.headers.location, ['/']);
  assert.deepEqual(parsed.answer.headers['set-cookie'], ['a=1; Path=/', 'b=2']);
  assert.equal(parsed.answer.body.toString(), 'hello');
  assert.equal(parsed.used, whole.indexOf('HTTP/1.1 200'), 'the next response is left where it was');
  assert.equal(parsed.close, false);

  const chunked = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\na\r\n0123456789\r\n0\r\n\r\n');
  assert.equal(parseResponse(chunked.subarray(0, chunked.length - 2)), undefined);
  const read = parseResponse(chunked)!;
  assert.equal(read.answer.body.toString(), 'abc0123456789');
  assert.equal(read.used, chunked.length);
  assert.equal(read.close, true);

  assert.throws(() => parseResponse(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n')), /not an HTTP response/);
  assert.throws(() => parseResponse(Buffer.from('HTTP/1.1 200 OK\r\n\r\n')), /without a length/);
});

test('a browser connection is kept alive between requests and opened again after the server closes it', async (t) => {
  const connections: number[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/bye') response.setHeader('connection', 'close');
      if (request.url === '/status/500') response.statusCode = 500;
      if (request.url === '/chunks') {
        response.write('part one, ');
        setTimeout(() => response.end('part two'), 5);
        return;
      }
      response.setHeader('set-cookie', ['x=1', 'y=2']);
      response.end(`${request.method} ${request.url} ${request.headers.cookie ?? '-'} ${body}`);
    });
  });
  server.on('connection', (socket) => connections.push(socket.remotePort!));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = new BrowserConnection(base);
  const first = await browser.request('GET', '/one', { cookie: 'sid=abc' });
  assert.equal(first.body.toString(), 'GET /one sid=abc ');
  assert.deepEqual(first.headers['set-cookie'], ['x=1', 'y=2']);
  const posted = await browser.request('POST', '/two', { 'content-type': 'text/plain' }, 'café');
  assert.equal(posted.body.toString(), 'POST /two - café', 'the body is sent whole, its length in bytes');
  assert.equal((await browser.request('GET', '/chunks')).body.toString(), 'part one, part two');
  assert.equal(connections.length, 1, 'one connection for all three');
  const inFlight = browser.request('GET', '/a');
  await assert.rejects(browser.request('GET', '/b'), /already in flight/);
  assert.equal((await inFlight).body.toString(), 'GET /a - ', 'the refused request disturbed nothing');

  assert.equal((await browser.request('GET', '/bye')).status, 200);
  assert.equal((await browser.request('GET', '/again')).body.toString(), 'GET /again - ');
  assert.equal(connections.length, 2, 'a new connection after the server closed the first');
  browser.close();

  const pool = new ConnectionPool(base);
  const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => pool.request('GET', `/p${i}`)));
  assert.deepEqual(answers.map((a) => a.body.toString()), [0, 1, 2, 3, 4].map((i) => `GET /p${i} - `));
  assert.equal(connections.length, 7, 'five at once take five connections');
  await pool.request('GET', '/reuse');
  assert.equal(connections.length, 7, 'an idle one is reused');
  pool.close();

  const opened = new ConnectionPool(base);
  await opened.open(3, '/warm');
  assert.equal(connections.length, 10, 'opened before any request of its own');
  await Promise.all([opened.request('GET', '/x'), opened.request('GET', '/y'), opened.request('GET', '/z')]);
  assert.equal(connections.length, 10, 'and those connections carry the requests');
  await assert.rejects(opened.open(1, '/status/500'), /answered 500/, 'a connection that does not answer 200 is a broken measurement');
  opened.close();

  const refused = new BrowserConnection('http://127.0.0.1:1');
  await assert.rejects(refused.request('GET', '/'), { code: 'ECONNREFUSED' });
});
