import type { KeyObject } from 'node:crypto';
import type { Db } from '../../platform/db/database.ts';
import type { LocalText } from '../../platform/db/schema.ts';
import { createExpiringCache } from '../../platform/cache/expiring-cache.ts';
import { findAgency } from '../identity/index.ts';
import { findCertificateType, type CertificateType } from './certificate-types.ts';
import { issuerIdOf, publicKeyOf } from './issuer-keys.ts';
import { findCertificate, normalizeIssueNumber, statusChangesOf, type CertificateRow, type StatusChangeRow } from './repository.ts';
import type { VerificationLog } from './verification-log.ts';
import { verifyCredentialJwt } from './vc-jose.ts';
import { statusOf, type CertificateStatus } from './workflow.ts';

export type Outcome = CertificateStatus | 'invalid' | 'unknown';
export type VerifierKind = 'anonymous' | 'resident' | 'official' | 'machine';
export type Channel = 'page' | 'api' | 'vc-api' | 'mobile-id';

export interface VerifiedCertificate {
  issueNumber: string;
  typeCode: string;
  title: string;
  lang: 'ko' | 'en';
  issuer: { id: string; code: string; name: LocalText };
  issuedAt: string;
  validUntil: string;
  /** what the signed credential states, in the certificate's order, with labels in both languages */
  facts: Array<{ key: string; label: LocalText; value: string }>;
  /** when the status last changed (a revocation or suspension), if it did */
  statusSince?: Date;
}

export interface Verification {
  outcome: Outcome;
  /** why a credential was found invalid, as a stable code */
  problem?: string;
  /** validation matters the verifier reports but does not decide on (VC Data Model 2.0 §7) */
  warnings?: string[];
  certificate?: VerifiedCertificate;
}

export interface VerifyDeps {
  db: Db;
  publicUrl: string;
}

/** How long a verifier trusts a certificate's status as read; the status lists' cache is the same. */
export const STATUS_CACHE_MS = 5_000;

/**
 * Resolves a JWS `kid` (`<issuer URL>#<thumbprint>`) to the agency's public key, if Nara
 * issued with it. Keys never change once made, so each is read once.
 */
export function createKeyResolver(deps: VerifyDeps) {
  const cache = new Map<string, { agencyId: number; key: KeyObject } | null>();
  return async (kid: unknown): Promise<{ agencyId: number; key: KeyObject } | undefined> => {
    if (typeof kid !== 'string' || kid.length > 500) return undefined;
    const hash = kid.lastIndexOf('#');
    if (hash < 0) return undefined;
    const thumbprint = kid.slice(hash + 1);
    let found = cache.get(kid);
    if (found === undefined) {
      const key = await publicKeyOf(deps.db, thumbprint);
      const agency = key ? await findAgency(deps.db, { id: key.agencyId }) : undefined;
      // The kid must name the key under its own agency's issuer URL, not another's.
      found = key && agency && kid.slice(0, hash) === issuerIdOf(deps.publicUrl, agency.code) ? key : null;
      if (cache.size > 10_000) cache.clear();
      cache.set(kid, found);
    }
    return found ?? undefined;
  };
}
export type KeyResolver = ReturnType<typeof createKeyResolver>;

export interface Verifier {
  byIssueNumber(issueNumber: string, who: { accountId?: number | undefined; kind: VerifierKind; channel: Channel }): Promise<Verification>;
  byCredential(jwt: string, who: { accountId?: number | undefined; kind: VerifierKind; channel: Channel }): Promise<Verification>;
  /** a status change on this instance: the next verification reads it at once */
  changed(certificateId: number): void;
}

/**
 * Verification, for anyone: the signature is checked again every time (the stored copy is
 * not trusted), then the certificate's status. Each verification by someone other than the
 * holder is recorded for the holder to see.
 */
export function createVerifier(deps: VerifyDeps & { log: VerificationLog }): Verifier {
  const { db } = deps;
  // Issued certificates never change (append-only), so a row once read is kept; only their
  // status changes, and it is read again after a few seconds (at once after a change here).
  const rows = new Map<string, CertificateRow>();
  const statuses = createExpiringCache<number, StatusChangeRow[]>({ ttlMs: STATUS_CACHE_MS, maxEntries: 20_000 });
  const agencies = createExpiringCache<number, Awaited<ReturnType<typeof findAgency>>>({ ttlMs: 60_000 });
  const types = createExpiringCache<string, CertificateType | undefined>({ ttlMs: 60_000 });
  const rowOf = async (typed: string) => {
    const issueNumber = normalizeIssueNumber(typed);
    if (!issueNumber) return undefined;
    const hit = rows.get(issueNumber);
    if (hit) return hit;
    const row = await findCertificate(db, issueNumber);
    if (row) {
      if (rows.size >= 20_000) rows.delete(rows.keys().next().value!);
      rows.set(issueNumber, row);
    }
    return row;
  };
  const changesOf = (id: number) => statuses.get(id, async () => (await statusChangesOf(db, [id])).get(id) ?? []);
  const agencyOf = (id: number) => agencies.get(id, () => findAgency(db, { id }));
  const typeOf = (code: string) => types.get(code, () => findCertificateType(db, code));
  const resolve = createKeyResolver(deps);

  // Validity dates are judged below with the status, so an expired certificate says so.
  const verifyJwt = (jwt: string, checkValidity = false) => verifyCredentialJwt(jwt, async (header) => (await resolve(header.kid))?.key, { checkValidity });

  async function check(row: CertificateRow, result: Awaited<ReturnType<typeof verifyJwt>>, who: { accountId?: number | undefined; kind: VerifierKind; channel: Channel }): Promise<Verification> {
    let verification: Verification;
    if (!result.ok) verification = { outcome: 'invalid', problem: result.code };
    else {
      const changes = await changesOf(row.id);
      const outcome = statusOf(changes, row.valid_until, new Date());
      const credential = result.credential as { issuer: { id: string; name?: string }; name?: string; validFrom: string; validUntil: string; credentialSubject: Record<string, string> };
      const type = await typeOf(row.type_code);
      const agency = await agencyOf(row.agency_id);
      const subject = credential.credentialSubject;
      const facts = (type?.fields ?? []).filter((f) => typeof subject[f.key] === 'string').map((f) => ({ key: f.key, label: f.label, value: subject[f.key]! }));
      verification = {
        outcome,
        certificate: {
          issueNumber: row.issue_number,
          typeCode: row.type_code,
          title: credential.name ?? type?.title[row.lang] ?? row.type_code,
          lang: row.lang,
          issuer: { id: credential.issuer.id, code: agency?.code ?? '', name: agency?.name ?? { ko: credential.issuer.name ?? '', en: credential.issuer.name ?? '' } },
          issuedAt: credential.validFrom,
          validUntil: credential.validUntil,
          facts,
          ...(changes.length ? { statusSince: changes[changes.length - 1]!.changed_at } : {}),
        },
      };
    }
    if (who.accountId !== row.holder_account_id) {
      deps.log.record({ certificate_id: row.id, channel: who.channel, verifier_kind: who.kind, outcome: verification.outcome === 'unknown' ? 'invalid' : verification.outcome });
    }
    return verification;
  }

  return {
    async byIssueNumber(issueNumber, who) {
      const row = await rowOf(issueNumber);
      if (!row) return { outcome: 'unknown' };
      return check(row, await verifyJwt(row.credential_jwt), who);
    },
    async byCredential(jwt, who) {
      const result = await verifyJwt(jwt);
      if (!result.ok) return { outcome: result.code === 'UNKNOWN_KEY' ? 'unknown' : 'invalid', problem: result.code };
      // A credential Nara issued names its verification page; its status is Nara's to say.
      const id = (result.credential as { id?: unknown }).id;
      const number = typeof id === 'string' ? /\/verify\/([\d-]{19})$/.exec(id)?.[1] : undefined;
      const row = number ? await rowOf(number) : undefined;
      if (!row) {
        // Signed by an agency's key but not a certificate (issued through the VC-API): the
        // signature and its dates are all there is to check.
        // The validity period is a validation matter: reported, left to the relying party.
        const dated = await verifyJwt(jwt, true);
        return dated.ok ? { outcome: 'valid' } : { outcome: 'valid', warnings: [dated.code] };
      }
      // The credential presented must be the one issued, byte for byte.
      if (row.credential_jwt !== jwt) return { outcome: 'invalid', problem: 'NOT_AS_ISSUED' };
      return check(row, result, who);
    },
    changed(certificateId) {
      statuses.forget(certificateId);
    },
  };
}
