import type { Db } from '../../platform/db/database.ts';
import { createExpiringCache } from '../../platform/cache/expiring-cache.ts';
import { findAgency } from '../identity/index.ts';
import { issuerIdOf, methodIdOf, type IssuerKeys } from './issuer-keys.ts';
import { statusBits } from './repository.ts';
import { encodeStatusList, statusListCredential, type StatusPurpose } from './status-list.ts';
import { signCredential } from './vc-jose.ts';

/** How long a published list may be cached by verifiers; a change shows within this. */
export const STATUS_TTL_SECONDS = 60;

/**
 * Signed Bitstring Status List credentials, one per agency, list and purpose, built from
 * the status changes and kept for a few seconds: verifiers poll them, and a revocation
 * here is seen at once by this instance (`changed`) and within seconds by the others.
 */
export function createStatusLists(deps: { db: Db; keys: IssuerKeys; publicUrl: string; cacheMs?: number }) {
  const cache = createExpiringCache<string, string>({ ttlMs: deps.cacheMs ?? 5_000 });

  async function build(agencyId: number, agencyCode: string, list: number, purpose: StatusPurpose): Promise<string> {
    const bits = await statusBits(deps.db, agencyId, list);
    const issuerId = issuerIdOf(deps.publicUrl, agencyCode);
    const key = await deps.keys.signingKey(agencyId);
    const credential = statusListCredential(issuerId, list, purpose, encodeStatusList(purpose === 'revocation' ? bits.revoked : bits.suspended), new Date(), STATUS_TTL_SECONDS);
    return signCredential(credential, { privateKey: key.privateKey, kid: methodIdOf(issuerId, key.kid) });
  }

  return {
    /** The signed list as `vc+jwt`, or undefined for an unknown agency. */
    async get(agencyCode: string, list: number, purpose: StatusPurpose): Promise<string | undefined> {
      const agency = await findAgency(deps.db, { code: agencyCode });
      if (!agency) return undefined;
      return cache.get(`${agency.id}/${list}/${purpose}`, () => build(agency.id, agency.code, list, purpose));
    },
    changed(agencyId: number, list: number) {
      for (const purpose of ['revocation', 'suspension']) cache.forget(`${agencyId}/${list}/${purpose}`);
    },
  };
}
export type StatusLists = ReturnType<typeof createStatusLists>;
