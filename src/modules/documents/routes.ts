import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Db } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import type { PageContextFactory } from '../../platform/http/platform.ts';
import { DomainError, fieldMessages } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { businessesActingFor, findAgency, loadActor, todayIn, usernamesOf } from '../identity/index.ts';
import { changeCertificateStatus, STATUS_ROLES } from './change-status.ts';
import { findCertificateType, requestableTypes } from './certificate-types.ts';
import { contextUrlOf, type IssueDeps } from './issue-certificate.ts';
import { controllerDocumentOf, issuerIdOf, jwksOf, methodIdOf, publishedKeys } from './issuer-keys.ts';
import type { StatusLists } from './publish-status-list.ts';
import type { VerificationLog } from './verification-log.ts';
import { certificatePdf, certificatesOf, findCertificate, normalizeIssueNumber, statusChangesOf, verificationsOf } from './repository.ts';
import { requestCertificate } from './request-certificate.ts';
import { mayDownload, shareCertificate, sharesOf, withdrawShare } from './share-certificate.ts';
import { STATUS_PURPOSES, type StatusPurpose } from './status-list.ts';
import { checkCredential, checkPresentation, isAbsoluteUrl } from './vc-model.ts';
import { signCredential } from './vc-jose.ts';
import type { Verifier, VerifierKind, Verification } from './verify-certificate.ts';
import { allowedStatusActions, statusOf } from './workflow.ts';
import { CertificatePage, CertificatesPage, RequestPage } from './views/certificate-pages.tsx';
import { MobileIdCheckPage, MobileIdPage } from './views/mobile-id-pages.tsx';
import { checkMobileId, currentMobileId, obtainMobileId, presentMobileId } from './mobile-id.ts';
import { createKeyResolver } from './verify-certificate.ts';
import { MOBILE_ID_TYPE } from './certificate-types.ts';
import QRCode from 'qrcode';
import fastifyStatic from '@fastify/static';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { VerifyPage } from './views/verify-page.tsx';


export interface MachineClient {
  clientId: string;
  agencyId: number;
  agencyCode: string;
  scopes: string[];
}

export interface DocumentRouteDeps {
  issue: IssueDeps;
  encryption: FieldEncryption;
  verifier: Verifier;
  verificationLog: VerificationLog;
  statusLists: StatusLists;
  pageContext: PageContextFactory;
  /** a machine client's bearer token, checked by the OpenID Provider */
  authenticateMachine: (authorization: string | undefined) => Promise<MachineClient | undefined>;
}

const Number16 = Type.Object({ number: Type.String({ maxLength: 40 }) });
const VC_JWT = 'application/vc+jwt';
const tags = ['documents'];
const VerifyResult = Type.Object({
  verified: Type.Boolean(),
  outcome: Type.String({ description: 'valid, revoked, suspended, expired, invalid or unknown' }),
  problem: Type.Optional(Type.String()),
  certificate: Type.Optional(Type.Unknown()),
  checks: Type.Array(Type.String()),
  errors: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
  warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
});

const isUserError = (error: unknown): error is DomainError => error instanceof DomainError && error.status < 500;
const signIn = (reply: FastifyReply, next: string) => reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
const verifierKindOf = (request: FastifyRequest): VerifierKind => (request.account ? (request.account.kind === 'official' ? 'official' : 'resident') : 'anonymous');

/** The credential inside a VC-API body: a compact JWS, or an EnvelopedVerifiableCredential carrying one. */
function jwtOf(value: unknown): string | undefined {
  if (typeof value === 'string') return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value) ? value : undefined;
  if (value && typeof value === 'object') {
    const id = (value as { id?: unknown }).id;
    const prefix = `data:${VC_JWT},`;
    if (typeof id === 'string' && id.startsWith(prefix)) return jwtOf(id.slice(prefix.length));
  }
  return undefined;
}

function vcApiResult(v: Verification) {
  const verified = v.outcome === 'valid';
  const problem = v.problem ?? (verified ? undefined : v.outcome.toUpperCase());
  return {
    verified,
    outcome: v.outcome,
    ...(v.problem ? { problem: v.problem } : {}),
    ...(v.certificate ? { certificate: v.certificate } : {}),
    checks: verified ? ['signature', 'status', 'validity'] : [],
    errors: problem ? [{ code: problem, message: `the credential is ${v.outcome}` }] : [],
    warnings: (v.warnings ?? []).map((code) => ({ code, message: code === 'EXPIRED' ? 'the validity period has ended' : code === 'NOT_YET_VALID' ? 'the validity period has not begun' : code })),
  };
}

/** Certificates for their holders, verification for everyone, and the W3C VC-API. */
export function documentRoutes(deps: DocumentRouteDeps): FastifyPluginAsyncTypebox {
  const { issue, verifier, statusLists, pageContext } = deps;
  const db: Db = issue.db;
  const { publicUrl, timeZone } = issue;

  const resolve = createKeyResolver({ db, publicUrl });
  const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

  return async (app) => {
    await app.register(fastifyStatic, { root: assets, prefix: '/assets/documents/', decorateReply: false, index: false, maxAge: '1h', allowedPath: (file) => file !== '/sw.js' });

    // ----- the holder's certificates -----

    async function listItems(accountId: number) {
      const rows = await certificatesOf(db, accountId);
      const changes = await statusChangesOf(db, rows.map((r) => r.id));
      const now = new Date();
      // A holder's certificates come from a few types and agencies: each read once.
      const types = new Map<string, ReturnType<typeof findCertificateType>>();
      const agencies = new Map<number, ReturnType<typeof findAgency>>();
      const once = <K, V>(map: Map<K, V>, key: K, read: () => V) => map.get(key) ?? map.set(key, read()).get(key)!;
      return Promise.all(
        rows.map(async (r) => {
          const type = await once(types, r.type_code, () => findCertificateType(db, r.type_code));
          const agency = await once(agencies, r.agency_id, () => findAgency(db, { id: r.agency_id }));
          const credential = JSON.parse(Buffer.from(r.credential_jwt.split('.')[1]!, 'base64url').toString('utf8')) as { name?: string };
          return { issueNumber: r.issue_number, title: credential.name ?? type?.title[r.lang] ?? r.type_code, issuer: agency?.name[r.lang] ?? '', issuedAt: r.issued_at, validUntil: r.valid_until, status: statusOf(changes.get(r.id) ?? [], r.valid_until, now) };
        }),
      );
    }

    app.get('/certificates', { schema: { hide: true } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const ctx = await pageContext(request, reply);
      return reply.page(h(CertificatesPage, { ctx, items: await listItems(request.account.id), types: await requestableTypes(db), timeZone }));
    });

    async function requestPage(request: FastifyRequest, reply: FastifyReply, code: string, values: { lang: string; include: string[]; businessId?: string }, errors: Array<{ field: string; message: string }>, status = 200) {
      const type = await findCertificateType(db, code);
      if (!type || type.source === 'application' || type.code === 'mobile-id') throw new DomainError('NOT_FOUND');
      const businesses = type.source === 'business-register' ? (await businessesActingFor(db, request.account!.id)).map((b) => ({ id: b.id, name: `${request.locale === 'ko' ? b.nameKo : b.nameEn} (${b.registrationNo})` })) : [];
      const ctx = await pageContext(request, reply, { form: true });
      return reply.page(h(RequestPage, { ctx, type, businesses, values, errors }), status);
    }

    app.get('/certificates/request/:code', { schema: { hide: true, params: Type.Object({ code: Type.String({ maxLength: 60 }) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const type = await findCertificateType(db, request.params.code);
      return requestPage(request, reply, request.params.code, { lang: request.locale, include: (type?.fields ?? []).filter((f) => f.omittable).map((f) => f.key) }, []);
    });

    app.post(
      '/certificates/request/:code',
      {
        schema: {
          hide: true,
          params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
          body: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 5 })), include: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 })])), businessId: Type.Optional(Type.String({ maxLength: 20 })), _csrf: Type.Optional(Type.String()) }),
        },
      },
      async (request, reply) => {
        if (!request.account) return signIn(reply, `/certificates/request/${request.params.code}`);
        const include = request.body.include === undefined ? [] : Array.isArray(request.body.include) ? request.body.include : [request.body.include];
        const values = { lang: request.body.lang ?? '', include, ...(request.body.businessId ? { businessId: request.body.businessId } : {}) };
        if (values.lang !== 'ko' && values.lang !== 'en') return requestPage(request, reply, request.params.code, values, [{ field: 'lang', message: request.t('documents.error.lang') }], 422);
        try {
          const issued = await requestCertificate(
            { ...issue, encryption: deps.encryption },
            {
              accountId: request.account.id, typeCode: request.params.code, lang: values.lang, include,
              ...(values.businessId && /^\d+$/.test(values.businessId) ? { businessId: Number(values.businessId) } : {}), today: todayIn(timeZone), requestId: request.id, ip: request.ip,
            },
          );
          return reply.redirect(`/certificates/${issued.issueNumber}?issued=1`, 303);
        } catch (error) {
          if (!isUserError(error) || (error.code === 'NOT_FOUND' && !error.messageKey.startsWith('documents.'))) throw error;
          const errors = fieldMessages(request.t, error) ?? [{ field: 'lang', message: request.t(error.messageKey, error.details.params) }];
          return requestPage(request, reply, request.params.code, values, errors, error.status);
        }
      },
    );

    /** The holder's own certificate; anyone else gets 404, so a number reveals nothing here. */
    async function ownCertificate(request: FastifyRequest, number: string) {
      const cert = await findCertificate(db, number);
      if (!cert || cert.holder_account_id !== request.account?.id) throw new DomainError('NOT_FOUND');
      return cert;
    }

    async function certificatePage(request: FastifyRequest, reply: FastifyReply, number: string, extra: { shareNotice?: string; shareError?: string; shareValue?: string } = {}, status = 200) {
      const cert = await ownCertificate(request, number);
      const type = await findCertificateType(db, cert.type_code);
      const agency = await findAgency(db, { id: cert.agency_id });
      const changes = (await statusChangesOf(db, [cert.id])).get(cert.id) ?? [];
      const credential = JSON.parse(Buffer.from(cert.credential_jwt.split('.')[1]!, 'base64url').toString('utf8')) as { name?: string; credentialSubject: Record<string, string> };
      const shares = await sharesOf(db, cert.id);
      const names = await usernamesOf(db, shares.map((s) => s.accountId));
      const ctx = await pageContext(request, reply, { form: true });
      const facts = (type?.fields ?? []).filter((f) => typeof credential.credentialSubject[f.key] === 'string').map((f) => ({ label: f.label, value: credential.credentialSubject[f.key]! }));
      return reply.page(
        h(CertificatePage, {
          ctx, issueNumber: cert.issue_number, title: credential.name ?? type?.title[cert.lang] ?? cert.type_code, issuer: agency?.name[request.locale] ?? '', issuedAt: cert.issued_at, validUntil: cert.valid_until,
          status: statusOf(changes, cert.valid_until, new Date()), facts, hasPdf: cert.type_code !== 'mobile-id', justIssued: (request.query as { issued?: string }).issued === '1',
          shares: shares.map((s) => ({ ...s, username: names.get(s.accountId) ?? String(s.accountId) })), shareNotice: extra.shareNotice, shareError: extra.shareError, shareValue: extra.shareValue,
          verifications: (await verificationsOf(db, [cert.id])).map((v) => ({ at: v.verified_at, kind: v.verifier_kind, channel: v.channel, outcome: v.outcome })), timeZone,
        }),
        status,
      );
    }

    app.get('/certificates/:number', { schema: { hide: true, params: Number16, querystring: Type.Object({ issued: Type.Optional(Type.String()), shared: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const notice = request.query.shared === 'withdrawn' ? request.t('documents.shares.withdrawn') : request.query.shared ? request.t('documents.shares.granted', { username: request.query.shared }) : undefined;
      return certificatePage(request, reply, request.params.number, notice ? { shareNotice: notice } : {});
    });

    /** Downloads: the holder, or an account the holder allowed; each download by another is audited. */
    async function downloadable(request: FastifyRequest, number: string) {
      const cert = await findCertificate(db, number);
      if (!cert || !(await mayDownload(db, cert, request.account?.id))) throw new DomainError('NOT_FOUND');
      if (cert.holder_account_id !== request.account!.id) {
        await writeAuditEvent(db, { action: 'documents.certificate.downloaded', actor: { accountId: request.account!.id }, subject: { type: 'certificate', id: cert.id }, requestId: request.id, ip: request.ip, details: { by: 'consent' } });
      }
      return cert;
    }

    app.get('/certificates/:number/pdf', { schema: { hide: true, params: Number16 } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const cert = await downloadable(request, request.params.number);
      const pdf = await certificatePdf(db, cert.id);
      if (!pdf) throw new DomainError('NOT_FOUND');
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="certificate-${cert.issue_number}.pdf"`).header('cache-control', 'private, no-store').send(Buffer.from(pdf));
    });

    app.get('/certificates/:number/credential', { schema: { hide: true, params: Number16 } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const cert = await downloadable(request, request.params.number);
      return reply.type(VC_JWT).header('content-disposition', `attachment; filename="certificate-${cert.issue_number}.jwt"`).header('cache-control', 'private, no-store').send(cert.credential_jwt);
    });

    app.post('/certificates/:number/shares', { schema: { hide: true, params: Number16, body: Type.Object({ username: Type.String({ maxLength: 200 }), _csrf: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, `/certificates/${request.params.number}`);
      try {
        await shareCertificate(db, { accountId: request.account.id, issueNumber: request.params.number, username: request.body.username, requestId: request.id, ip: request.ip });
        return reply.redirect(`/certificates/${request.params.number}?shared=${encodeURIComponent(request.body.username.trim())}`, 303);
      } catch (error) {
        if (!isUserError(error) || error.code === 'NOT_FOUND') throw error;
        return certificatePage(request, reply, request.params.number, { shareError: fieldMessages(request.t, error)?.[0]?.message ?? request.t(error.messageKey), shareValue: request.body.username }, error.status);
      }
    });

    app.post('/certificates/:number/shares/:account/withdraw', { schema: { hide: true, params: Type.Object({ number: Type.String({ maxLength: 40 }), account: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, `/certificates/${request.params.number}`);
      await withdrawShare(db, { accountId: request.account.id, issueNumber: request.params.number, withAccountId: request.params.account, requestId: request.id, ip: request.ip });
      return reply.redirect(`/certificates/${request.params.number}?shared=withdrawn`, 303);
    });


    // ----- the mobile ID -----

    async function mobileIdPage(request: FastifyRequest, reply: FastifyReply, shown?: { token: string; expiresAt: Date; disclosed: string[] }, errors: Array<{ field: string; message: string }> = [], status = 200) {
      const held = await currentMobileId(db, request.account!.id);
      const ctx = await pageContext(request, reply, { form: true });
      const name = held ? (JSON.parse(Buffer.from(held.row.credential_jwt.split('.')[1]!, 'base64url').toString('utf8')) as { credentialSubject: { name?: string } }).credentialSubject.name ?? '' : '';
      const url = shown ? `${publicUrl.replace(/\/$/, '')}/mobile-id/check#${shown.token}` : '';
      const svg = shown ? await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'L', margin: 4 }) : '';
      reply.header('cache-control', 'no-store');
      return reply.page(
        h(MobileIdPage, { ctx, held: held ? { issueNumber: held.row.issue_number, status: held.status, name, validUntil: held.row.valid_until } : undefined, shown: shown ? { svg, url, expiresAt: shown.expiresAt, disclosed: shown.disclosed } : undefined, errors, timeZone }),
        status,
      );
    }

    app.get('/mobile-id', { schema: { hide: true } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      return mobileIdPage(request, reply);
    });

    app.post('/mobile-id', { schema: { hide: true } }, async (request, reply) => {
      if (!request.account) return signIn(reply, '/mobile-id');
      try {
        await obtainMobileId({ ...issue, encryption: deps.encryption }, { accountId: request.account.id, lang: request.locale, today: todayIn(timeZone), requestId: request.id, ip: request.ip });
      } catch (error) {
        if (!isUserError(error) || (error.code === 'NOT_FOUND' && !error.messageKey.startsWith('documents.'))) throw error;
        return mobileIdPage(request, reply, undefined, [{ field: 'disclose', message: request.t(error.messageKey) }], error.status);
      }
      return reply.redirect('/mobile-id', 303);
    });

    app.post(
      '/mobile-id/present',
      { schema: { hide: true, body: Type.Object({ disclose: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 })])), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        if (!request.account) return signIn(reply, '/mobile-id');
        const disclose = request.body.disclose === undefined ? [] : [request.body.disclose].flat();
        try {
          const shown = await presentMobileId(issue, { accountId: request.account.id, disclose });
          return mobileIdPage(request, reply, { ...shown, disclosed: disclose.filter((d) => ['birthDate', 'ageOver19', 'region'].includes(d)) });
        } catch (error) {
          if (!isUserError(error)) throw error;
          return mobileIdPage(request, reply, undefined, [{ field: 'disclose', message: request.t(error.messageKey, error.details.params) }], error.status);
        }
      },
    );

    async function mobileIdKeyUrls(): Promise<string[]> {
      const type = await findCertificateType(db, MOBILE_ID_TYPE);
      const agency = type ? await findAgency(db, { id: type.agency_id }) : undefined;
      if (!agency) return [];
      const issuer = issuerIdOf(publicUrl, agency.code);
      // The first list's status too: most IDs are in it, and a check must work offline.
      return [`${issuer}/jwks.json`, `${issuer}/status/0/revocation`, `${issuer}/status/0/suspension`];
    }

    app.get('/mobile-id/check', { schema: { hide: true } }, async (request, reply) => {
      const ctx = await pageContext(request, reply);
      return reply.page(h(MobileIdCheckPage, { ctx, token: '', keyUrls: await mobileIdKeyUrls(), timeZone }));
    });

    app.post('/mobile-id/check', { config: { csrf: false }, schema: { hide: true, body: Type.Object({ token: Type.String({ maxLength: 8000 }) }) } }, async (request, reply) => {
      const token = request.body.token.trim().replace(/^.*#/, '');
      const result = await checkMobileId({ db, resolve, log: deps.verificationLog }, token, { accountId: request.account?.id, kind: verifierKindOf(request) });
      const ctx = await pageContext(request, reply);
      reply.header('cache-control', 'no-store');
      return reply.page(h(MobileIdCheckPage, { ctx, token, result, keyUrls: await mobileIdKeyUrls(), timeZone }), result.outcome === 'invalid' ? 422 : 200);
    });

    // The service worker must be served from under the path it looks after.
    app.get('/mobile-id/sw.js', { schema: { hide: true } }, async (_request, reply) => {
      return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(path.join(assets, 'sw.js')));
    });

    // ----- verification, for everyone -----

    app.get('/verify', { schema: { hide: true, querystring: Type.Object({ number: Type.Optional(Type.String({ maxLength: 60 })) }) } }, async (request, reply) => {
      const typed = request.query.number;
      if (typed !== undefined) {
        const number = normalizeIssueNumber(typed);
        if (number) return reply.redirect(`/verify/${number}`, 303);
      }
      const ctx = await pageContext(request, reply);
      const errors = typed !== undefined ? [{ field: 'number', message: request.t('documents.verify.badNumber') }] : [];
      return reply.page(h(VerifyPage, { ctx, number: typed ?? '', errors, timeZone }), errors.length ? 422 : 200);
    });

    async function managing(request: FastifyRequest, result: Verification) {
      if (!request.account || request.account.kind !== 'official' || !result.certificate) return undefined;
      const actor = await loadActor(db, request.account.id);
      const cert = await findCertificate(db, result.certificate.issueNumber);
      if (!actor || !cert || actor.agencyId !== cert.agency_id || !actor.roles.some((r) => r.agencyId === cert.agency_id && (STATUS_ROLES as readonly string[]).includes(r.role))) return undefined;
      const changes = (await statusChangesOf(db, [cert.id])).get(cert.id) ?? [];
      return { allowed: allowedStatusActions(statusOf(changes, cert.valid_until, new Date())) };
    }

    app.get('/verify/:number', { schema: { hide: true, params: Number16, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (request, reply) => {
      const result = await verifier.byIssueNumber(request.params.number, { accountId: request.account?.id, kind: verifierKindOf(request), channel: 'page' });
      const ctx = await pageContext(request, reply, { form: request.account?.kind === 'official' });
      const manage = await managing(request, result);
      const done = request.query.done ? request.t('documents.manage.done', { status: request.t(`documents.status.${result.outcome === 'invalid' || result.outcome === 'unknown' ? 'revoked' : result.outcome}`) }) : undefined;
      reply.header('cache-control', 'no-store');
      return reply.page(h(VerifyPage, { ctx, number: request.params.number, errors: [], result, manage: manage ? { ...manage, errors: [], reason: '', done } : undefined, timeZone }), result.outcome === 'unknown' ? 404 : 200);
    });

    app.post(
      '/verify/:number/status',
      { schema: { hide: true, params: Number16, body: Type.Object({ action: Type.Union([Type.Literal('revoke'), Type.Literal('suspend'), Type.Literal('reinstate')]), reason: Type.String({ maxLength: 2000 }), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        if (!request.account) return signIn(reply, `/verify/${request.params.number}`);
        try {
          const changed = await changeCertificateStatus(db, { accountId: request.account.id, issueNumber: request.params.number, action: request.body.action, reason: request.body.reason, requestId: request.id, ip: request.ip });
          statusLists.changed(changed.agencyId, changed.statusList);
          verifier.changed(changed.certificateId);
          return reply.redirect(`/verify/${normalizeIssueNumber(request.params.number)}?done=1`, 303);
        } catch (error) {
          if (!isUserError(error) || error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN') throw error;
          const result = await verifier.byIssueNumber(request.params.number, { accountId: request.account.id, kind: 'official', channel: 'page' });
          const ctx = await pageContext(request, reply, { form: true });
          const manage = await managing(request, result);
          const errors = fieldMessages(request.t, error) ?? [{ field: 'reason', message: request.t(error.messageKey, error.details.params) }];
          return reply.page(h(VerifyPage, { ctx, number: request.params.number, errors: [], result, manage: manage ? { ...manage, errors, reason: request.body.reason } : undefined, timeZone }), error.status);
        }
      },
    );

    app.get(
      '/api/v1/certificates/:number/verification',
      { schema: { tags, summary: 'Check a certificate by its issue number (anyone); the same answer as the /verify page', params: Number16, response: { 200: VerifyResult, 404: VerifyResult } } },
      async (request, reply) => {
        const result = await verifier.byIssueNumber(request.params.number, { accountId: request.account?.id, kind: verifierKindOf(request), channel: 'api' });
        return reply.code(result.outcome === 'unknown' ? 404 : 200).send(vcApiResult(result));
      },
    );

    // ----- issuers: controller documents, keys, status lists, the vocabulary -----

    const Agency = Type.Object({ agency: Type.String({ maxLength: 40 }) });
    async function issuerOf(code: string) {
      const agency = await findAgency(db, { code });
      if (!agency) throw new DomainError('NOT_FOUND');
      const issuerId = issuerIdOf(publicUrl, agency.code);
      return { agency, issuerId, keys: await publishedKeys(db, agency.id) };
    }

    app.get('/issuers/:agency', { schema: { tags, summary: "An agency's controller document: the keys its credentials are signed with", params: Agency } }, async (request, reply) => {
      const { agency, issuerId, keys } = await issuerOf(request.params.agency);
      // Publish at least the current key even before the first issuance.
      if (keys.length === 0) await issue.keys.signingKey(agency.id);
      return reply.type('application/json').header('cache-control', 'public, max-age=300').send(controllerDocumentOf(issuerId, agency.name, keys.length ? keys : await publishedKeys(db, agency.id)));
    });

    app.get('/issuers/:agency/jwks.json', { schema: { tags, summary: "An agency's signing keys as a JWK set (retired keys included)", params: Agency } }, async (request, reply) => {
      const { agency, issuerId, keys } = await issuerOf(request.params.agency);
      if (keys.length === 0) await issue.keys.signingKey(agency.id);
      return reply.type('application/jwk-set+json').header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(jwksOf(issuerId, keys.length ? keys : await publishedKeys(db, agency.id)));
    });

    app.get(
      '/issuers/:agency/status/:list/:purpose',
      { schema: { tags, summary: 'A W3C Bitstring Status List credential (vc+jwt)', params: Type.Object({ agency: Type.String({ maxLength: 40 }), list: Type.Integer({ minimum: 0, maximum: 1_000_000 }), purpose: Type.String({ maxLength: 20 }) }) } },
      async (request, reply) => {
        if (!(STATUS_PURPOSES as readonly string[]).includes(request.params.purpose)) throw new DomainError('NOT_FOUND');
        const jwt = await statusLists.get(request.params.agency, request.params.list, request.params.purpose as StatusPurpose);
        if (!jwt) throw new DomainError('NOT_FOUND');
        return reply.type(VC_JWT).header('cache-control', 'public, max-age=5').header('access-control-allow-origin', '*').send(jwt);
      },
    );

    app.get('/credentials/v1', { schema: { tags, summary: "The JSON-LD context of Nara's certificate credentials" } }, async (_request, reply) => {
      const vocab = `${publicUrl.replace(/\/$/, '')}/credentials/vocab#`;
      return reply.type('application/ld+json').header('cache-control', 'public, max-age=86400').header('access-control-allow-origin', '*').send({
        '@context': { '@protected': true, NaraCertificate: `${vocab}NaraCertificate`, certificateType: `${vocab}certificateType`, issueNumber: `${vocab}issueNumber`, '@vocab': vocab },
      });
    });

    // ----- the W3C VC-API -----

    app.post(
      '/credentials/issue',
      {
        config: { csrf: false },
        schema: {
          tags,
          summary: 'Issue a credential (W3C VC-API). Machine clients only: a client-credentials token with the credentials:issue scope; the issuer is always the client’s agency.',
          security: [{ bearer: [] }],
          body: Type.Object({ credential: Type.Unknown(), options: Type.Optional(Type.Unknown()) }, { additionalProperties: true }),
        },
      },
      async (request, reply) => {
        const client = await deps.authenticateMachine(request.headers.authorization);
        if (!client) return reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: { code: 'UNAUTHENTICATED', message: 'a machine client token with the credentials:issue scope is needed' } });
        if (!client.scopes.includes('credentials:issue')) return reply.code(403).header('www-authenticate', 'Bearer error="insufficient_scope", scope="credentials:issue"').send({ error: { code: 'FORBIDDEN', message: 'the token lacks the credentials:issue scope' } });
        const credential = request.body.credential;
        if (!credential || typeof credential !== 'object' || Array.isArray(credential)) return reply.code(400).send({ error: { code: 'BAD_REQUEST', message: 'credential must be a JSON object' } });
        const issuerId = issuerIdOf(publicUrl, client.agencyCode);
        const named = (credential as { issuer?: unknown }).issuer;
        const namedId = typeof named === 'string' ? named : named && typeof named === 'object' ? (named as { id?: unknown }).id : undefined;
        // A client issues for its own agency only; another agency's issuer URL is refused outright.
        if (typeof namedId === 'string' && namedId.startsWith(`${publicUrl.replace(/\/$/, '')}/issuers/`) && namedId !== issuerId) {
          return reply.code(403).send({ error: { code: 'FORBIDDEN', message: 'a client may only issue for its own agency' } });
        }
        // An issuer given a malformed issuer says so rather than quietly replacing it.
        // (An issuer object without an id is completed, as the VC-API expects.)
        const issuerGiven = 'issuer' in credential;
        const issuerMalformed = issuerGiven && !(typeof named === 'string' ? isAbsoluteUrl(named) : named !== null && typeof named === 'object' && !Array.isArray(named) && (!('id' in named) || isAbsoluteUrl(namedId)));
        if (issuerMalformed) return reply.code(422).send({ error: { code: 'VALIDATION_FAILED', message: 'the issuer given is not a URL or an object with a URL id' } });
        // The issuer is always the client's agency (an issuer fills it in); other issuer
        // properties, such as a name, are kept.
        const issued = { ...(credential as Record<string, unknown>), issuer: named && typeof named === 'object' ? { ...(named as object), id: issuerId } : issuerId };
        const problems = checkCredential(issued);
        if (problems.length > 0) return reply.code(422).send({ error: { code: 'VALIDATION_FAILED', message: 'the credential does not conform to the VC Data Model 2.0', problems } });
        const key = await issue.keys.signingKey(client.agencyId);
        const jwt = await signCredential(issued, { privateKey: key.privateKey, kid: methodIdOf(issuerId, key.kid) });
        await writeAuditEvent(db, { action: 'documents.credential.issued', actor: { accountId: null, agencyId: client.agencyId }, requestId: request.id, ip: request.ip, details: { clientId: client.clientId, id: (issued as { id?: unknown }).id ?? null } });
        return reply.code(201).send({ verifiableCredential: { '@context': ['https://www.w3.org/ns/credentials/v2'], id: `data:${VC_JWT},${jwt}`, type: 'EnvelopedVerifiableCredential' } });
      },
    );

    app.post(
      '/credentials/verify',
      {
        config: { csrf: false },
        schema: {
          tags,
          summary: 'Verify a credential (W3C VC-API), anyone: a vc+jwt, as a string or an EnvelopedVerifiableCredential. 200 when verified, 400 when not.',
          body: Type.Object({ verifiableCredential: Type.Unknown(), options: Type.Optional(Type.Unknown()) }, { additionalProperties: true }),
          response: { 200: VerifyResult, 400: VerifyResult },
        },
      },
      async (request, reply) => {
        const given = request.body.verifiableCredential;
        const jwt = jwtOf(given);
        if (!jwt) {
          const problems = given && typeof given === 'object' ? checkCredential(given) : [];
          const errors = problems.length ? problems.map((p) => ({ code: p.code, message: `${p.path}: ${p.message}` })) : [{ code: 'NO_PROOF', message: 'expected a vc+jwt credential (a compact JWS, or an EnvelopedVerifiableCredential)' }];
          return reply.code(400).send({ verified: false, outcome: 'invalid', problem: errors[0]!.code, checks: [], errors, warnings: [] });
        }
        const client = request.headers.authorization ? await deps.authenticateMachine(request.headers.authorization) : undefined;
        const result = await verifier.byCredential(jwt, { accountId: request.account?.id, kind: client ? 'machine' : verifierKindOf(request), channel: 'vc-api' });
        return reply.code(result.outcome === 'valid' ? 200 : 400).send(vcApiResult(result));
      },
    );

    app.post(
      '/presentations/verify',
      {
        config: { csrf: false },
        schema: {
          tags,
          summary: 'Verify a presentation (W3C VC-API), anyone. 400 when it does not conform; otherwise 200 with `verified` true only if every credential in it verifies.',
          body: Type.Object({ verifiablePresentation: Type.Unknown(), options: Type.Optional(Type.Unknown()) }, { additionalProperties: true }),
          response: { 200: VerifyResult, 400: VerifyResult },
        },
      },
      async (request, reply) => {
        const vp = request.body.verifiablePresentation;
        const problems = checkPresentation(vp);
        if (problems.length > 0) {
          return reply.code(400).send({ verified: false, outcome: 'invalid', problem: problems[0]!.code, checks: [], errors: problems.map((p) => ({ code: p.code, message: `${p.path}: ${p.message}` })), warnings: [] });
        }
        const items = (vp as { verifiableCredential?: unknown }).verifiableCredential;
        const list = items === undefined ? [] : Array.isArray(items) ? items : [items];
        const warnings: Array<{ code: string; message: string }> = [];
        let verified = list.length > 0;
        for (const [i, item] of list.entries()) {
          const jwt = jwtOf(item);
          if (!jwt) {
            verified = false;
            warnings.push({ code: 'NO_PROOF', message: `verifiableCredential[${i}] is not secured; nothing in it can be relied on` });
            continue;
          }
          const result = await verifier.byCredential(jwt, { accountId: request.account?.id, kind: verifierKindOf(request), channel: 'vc-api' });
          if (result.outcome !== 'valid') {
            verified = false;
            warnings.push({ code: result.problem ?? result.outcome.toUpperCase(), message: `verifiableCredential[${i}] is ${result.outcome}` });
          }
        }
        return reply.send({ verified, outcome: verified ? 'valid' : 'invalid', checks: verified ? ['credentials'] : [], errors: [], warnings });
      },
    );
  };
}
