import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { h } from 'preact';
import type { Db } from '../../platform/db/database.ts';
import type { PageContextFactory } from '../../platform/http/platform.ts';
import { loadActor } from '../identity/index.ts';
import { consistencyBetween, inclusionByHash } from './proofs.ts';
import { entriesByIndex, latestHead, treeSize } from './repository.ts';
import { logGrowth } from './log-growth.ts';
import { signTreeHeadNow } from './sign-tree-head.ts';
import { sthJson } from './tree-head.ts';
import type { TransparencyLog } from './transparency-log.ts';
import { LogPage } from './views/log-page.tsx';

export interface TransparencyRouteDeps {
  db: Db;
  log: TransparencyLog;
  pageContext: PageContextFactory;
  timeZone: string;
}

export const LOG_API = '/transparency/v1';
/** The most entries one `get-entries` answers with (RFC 6962 lets a log return fewer than asked). */
export const MAX_ENTRIES = 1000;

const B64 = Type.String({ description: 'base64' });
const Sth = Type.Object({ tree_size: Type.Integer(), timestamp: Type.Integer({ description: 'milliseconds since the epoch' }), sha256_root_hash: B64, tree_head_signature: B64 });
const LogError = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) });
const Size = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const tags = ['transparency'];

function badRequest(message: string) {
  return { error: { code: 'BAD_REQUEST', message } };
}

/** RFC 6962 §4's read API over Nara's log, its public page, and an operator's "sign now". */
export function transparencyRoutes({ db, log, pageContext, timeZone }: TransparencyRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The browser-side check of a step against the log (the applicant's timeline uses it).
    await app.register(fastifyStatic, { root: path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets'), prefix: '/assets/transparency/', decorateReply: false, index: false, maxAge: '1h' });

    app.get(`${LOG_API}/get-sth`, { schema: { tags, summary: 'The latest signed tree head (RFC 6962 §4.3)', response: { 200: Sth, 503: LogError } } }, async (_request, reply) => {
      const head = await latestHead(db);
      if (!head) return reply.code(503).send({ error: { code: 'UNAVAILABLE', message: 'the log has not signed a tree head yet' } });
      return sthJson(head);
    });

    app.get(
      `${LOG_API}/get-sth-consistency`,
      { schema: { tags, summary: 'Proof that a tree extends an earlier one (RFC 6962 §4.4)', querystring: Type.Object({ first: Size, second: Size }), response: { 200: Type.Object({ consistency: Type.Array(B64) }), 400: LogError } } },
      async (request, reply) => {
        const { first, second } = request.query;
        const size = await treeSize(db);
        if (first < 1 || first > second || second > size) return reply.code(400).send(badRequest(`need 0 < first ≤ second ≤ ${size}`));
        const proof = await consistencyBetween(db, first, second);
        return { consistency: proof.map((p) => p.toString('base64')) };
      },
    );

    app.get(
      `${LOG_API}/get-proof-by-hash`,
      {
        schema: {
          tags,
          summary: 'Where a leaf is, and its audit path (RFC 6962 §4.5)',
          querystring: Type.Object({ hash: Type.String({ description: 'base64 leaf hash' }), tree_size: Size }),
          response: { 200: Type.Object({ leaf_index: Type.Integer(), audit_path: Type.Array(B64) }), 400: LogError, 404: LogError },
        },
      },
      async (request, reply) => {
        const hash = Buffer.from(request.query.hash, 'base64');
        const size = await treeSize(db);
        if (hash.length !== 32) return reply.code(400).send(badRequest('hash must be a base64 SHA-256 leaf hash'));
        if (request.query.tree_size < 1 || request.query.tree_size > size) return reply.code(400).send(badRequest(`tree_size must be between 1 and ${size}`));
        const found = await inclusionByHash(db, hash, request.query.tree_size);
        if (!found) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'no leaf with this hash in a tree of that size' } });
        return { leaf_index: found.leafIndex, audit_path: found.auditPath.map((p) => p.toString('base64')) };
      },
    );

    app.get(
      `${LOG_API}/get-entries`,
      {
        schema: {
          tags,
          summary: `Entries by position, start to end inclusive, at most ${MAX_ENTRIES} (RFC 6962 §4.6)`,
          querystring: Type.Object({ start: Size, end: Size }),
          response: { 200: Type.Object({ entries: Type.Array(Type.Object({ leaf_input: B64, extra_data: B64 })) }), 400: LogError },
        },
      },
      async (request, reply) => {
        const { start, end } = request.query;
        const size = await treeSize(db);
        if (start > end || start >= size) return reply.code(400).send(badRequest(`need start ≤ end and start < ${size}`));
        const entries = await entriesByIndex(db, start, Math.min(end, start + MAX_ENTRIES - 1, size - 1));
        return { entries: entries.map((e) => ({ leaf_input: e.leafInput.toString('base64'), extra_data: '' })) };
      },
    );

    app.get(
      `${LOG_API}/get-public-key`,
      {
        schema: {
          tags,
          summary: "The log's Ed25519 public key, which signs every tree head",
          response: { 200: Type.Object({ key: Type.String({ description: 'base64 DER SubjectPublicKeyInfo' }), key_id: Type.String({ description: 'base64 SHA-256 of key' }), algorithm: Type.Literal('Ed25519'), jwk: Type.Object({ kty: Type.String(), crv: Type.String(), x: Type.String() }) }) },
        },
      },
      async () => {
        const key = await log.signer();
        const jwk = key.publicKeyObject.export({ format: 'jwk' });
        return { key: key.publicKey.toString('base64'), key_id: key.keyId, algorithm: 'Ed25519' as const, jwk: { kty: String(jwk.kty), crv: String(jwk.crv), x: String(jwk.x) } };
      },
    );

    app.get('/transparency', { schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      const ctx = await pageContext(request, reply, { form: Boolean(request.account) });
      const actor = request.account ? await loadActor(db, request.account.id) : undefined;
      const [head, key, growth] = await Promise.all([latestHead(db), log.signer(), logGrowth(db, timeZone)]);
      return reply.page(h(LogPage, { ctx, head, keyId: key.keyId, publicKey: key.publicKey.toString('base64'), growth, timeZone, operator: Boolean(actor?.roles.some((r) => r.role === 'platform-operator')), signed: request.query.done === 'signed' }));
    });

    app.post('/transparency/sign', { schema: { hide: true } }, async (request, reply) => {
      if (!request.account) return reply.redirect('/sign-in?next=%2Ftransparency', 303);
      await signTreeHeadNow(db, log, await loadActor(db, request.account.id), { requestId: request.id, ip: request.ip });
      return reply.redirect('/transparency?done=signed', 303);
    });
  };
}
