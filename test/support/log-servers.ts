import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { consistencyProof, leafHash, rootOf } from '../../src/modules/transparency/merkle.ts';
import { keyIdOf } from '../../src/modules/transparency/log-key.ts';
import { encodeDigitallySigned, sthJson, treeHeadSignedData, type SthJson } from '../../src/modules/transparency/tree-head.ts';

export interface Running {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<Running> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function sendJson(res: import('node:http').ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * A log that answers the monitor's three questions from whatever tree the test gives it,
 * signing with a key the test controls: what a dishonest operator holding the real key could
 * serve. Its proofs are honest about the tree it serves.
 */
export async function fakeLog(): Promise<Running & { serve(leaves: readonly string[], timestamp: number): SthJson }> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  let hashes: Buffer[] = [];
  let head: SthJson | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://log');
    if (url.pathname === '/transparency/v1/get-public-key') return sendJson(res, 200, { key: der.toString('base64'), key_id: keyIdOf(der), algorithm: 'Ed25519' });
    if (url.pathname === '/transparency/v1/get-sth') return head ? sendJson(res, 200, head) : sendJson(res, 503, { error: { code: 'UNAVAILABLE', message: 'no head' } });
    if (url.pathname === '/transparency/v1/get-sth-consistency') {
      const first = Number(url.searchParams.get('first'));
      const second = Number(url.searchParams.get('second'));
      if (!(first >= 1 && first <= second && second <= hashes.length)) return sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: 'out of range' } });
      return sendJson(res, 200, { consistency: consistencyProof(first, second, hashes).map((p) => p.toString('base64')) });
    }
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no such route' } });
  });
  const running = await listen(server);
  return {
    ...running,
    /** From now on, serve the tree of these leaves with a head signed at `timestamp`. */
    serve(leaves, timestamp) {
      hashes = leaves.map((l) => leafHash(Buffer.from(l)));
      const root = rootOf(hashes);
      const signature = encodeDigitallySigned(sign(null, treeHeadSignedData(timestamp, hashes.length, root), privateKey));
      head = sthJson({ treeSize: hashes.length, timestamp, rootHash: root, signature });
      return head;
    },
  };
}

/** A man in the middle: passes every request to `target`, letting `rewrite` change get-sth's answer on the way back. */
export async function sthRewritingProxy(target: string, rewrite: (sth: SthJson) => SthJson): Promise<Running> {
  const server = createServer((req, res) => {
    // Asked uncompressed, so the answer can be read and changed.
    const headers = { ...req.headers, host: new URL(target).host };
    delete headers['accept-encoding'];
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers }, (answer: IncomingMessage) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.url?.startsWith('/transparency/v1/get-sth') && !req.url.startsWith('/transparency/v1/get-sth-consistency') && answer.statusCode === 200) {
          body = Buffer.from(JSON.stringify(rewrite(JSON.parse(body.toString('utf8')) as SthJson)));
        }
        const back = { ...answer.headers, 'content-length': String(body.length) };
        delete back['transfer-encoding'];
        res.writeHead(answer.statusCode ?? 502, back);
        res.end(body);
      });
    });
    upstream.on('error', () => sendJson(res, 502, { error: { code: 'BAD_GATEWAY', message: 'upstream failed' } }));
    req.pipe(upstream);
  });
  return listen(server);
}
