import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { createExpiringCache } from '../../platform/cache/expiring-cache.ts';

/** The URL that names an agency as an issuer; it serves the agency's controller document. */
export const issuerIdOf = (publicUrl: string, agencyCode: string) => `${publicUrl.replace(/\/$/, '')}/issuers/${encodeURIComponent(agencyCode)}`;
/** A verification method's id: the issuer URL and the key's thumbprint. Used as the JWS `kid`. */
export const methodIdOf = (issuerId: string, kid: string) => `${issuerId}#${kid}`;

export interface SigningKey {
  kid: string;
  agencyId: number;
  privateKey: KeyObject;
  publicJwk: JWK;
}

export interface PublishedKey {
  kid: string;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

async function newKeyRow(agencyId: number, encryption: FieldEncryption) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicJwk = publicKey.export({ format: 'jwk' }) as JWK;
  const jwk: JWK = { kty: publicJwk.kty!, crv: publicJwk.crv!, x: publicJwk.x! };
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { kid, agency_id: agencyId, public_jwk: JSON.stringify(jwk), private_key_cipher: encryption.encrypt(privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')) };
}

/** How long an instance signs with the key it loaded before looking again (a rotation elsewhere). */
const RECHECK_MS = 60_000;

/**
 * Each agency's Ed25519 signing key: created on first use, kept encrypted under DATA_KEY,
 * held in memory once decrypted. Rotation retires the current key (it stays published, so
 * what it signed stays verifiable) and makes a new one.
 */
export function createIssuerKeys(db: Db, encryption: FieldEncryption) {
  const loaded = createExpiringCache<number, SigningKey>({ ttlMs: RECHECK_MS });

  async function load(agencyId: number): Promise<SigningKey> {
    const active = () => db.selectFrom('issuer_keys').selectAll().where('agency_id', '=', agencyId).where('retired_at', 'is', null).executeTakeFirst();
    let row = await active();
    if (!row) {
      // Two instances may race to create it: the partial unique index keeps one.
      await db.insertInto('issuer_keys').values(await newKeyRow(agencyId, encryption)).onConflict((oc) => oc.column('agency_id').where('retired_at', 'is', null).doNothing()).execute();
      row = await active();
      if (!row) throw new Error(`documents: no signing key for agency ${agencyId}`);
    }
    const privateKey = createPrivateKey({ key: Buffer.from(encryption.decrypt(row.private_key_cipher), 'base64'), format: 'der', type: 'pkcs8' });
    return { kid: row.kid, agencyId, privateKey, publicJwk: row.public_jwk as JWK };
  }

  return {
    /** The key that signs for the agency now. */
    signingKey(agencyId: number): Promise<SigningKey> {
      return loaded.get(agencyId, () => load(agencyId));
    },
    /**
     * Retires the agency's current key and makes a new one, in one transaction.
     * Other instances pick the new key up within a minute (RECHECK_MS), or at once on `forget`.
     */
    async rotate(agencyId: number, tx?: Executor): Promise<string> {
      const run = async (t: Executor) => {
        await t.updateTable('issuer_keys').set({ retired_at: sql`now()` }).where('agency_id', '=', agencyId).where('retired_at', 'is', null).execute();
        const row = await newKeyRow(agencyId, encryption);
        await t.insertInto('issuer_keys').values(row).execute();
        return row.kid;
      };
      const kid = tx ? await run(tx) : await db.transaction().execute(run);
      loaded.forget(agencyId);
      return kid;
    },
    forget(agencyId: number) {
      loaded.forget(agencyId);
    },
  };
}
export type IssuerKeys = ReturnType<typeof createIssuerKeys>;

/** Every key the agency has signed with, newest first (retired ones included). */
export async function publishedKeys(db: Executor, agencyId: number): Promise<PublishedKey[]> {
  const rows = await db.selectFrom('issuer_keys').select(['kid', 'public_jwk', 'created_at', 'retired_at']).where('agency_id', '=', agencyId).orderBy('created_at', 'desc').orderBy('kid').execute();
  return rows.map((r) => ({ kid: r.kid, publicJwk: r.public_jwk as JWK, createdAt: r.created_at, retiredAt: r.retired_at }));
}

/** The public key of one verification method, for checking a signature. */
export async function publicKeyOf(db: Executor, kid: string): Promise<{ agencyId: number; key: KeyObject } | undefined> {
  const row = await db.selectFrom('issuer_keys').select(['agency_id', 'public_jwk']).where('kid', '=', kid).executeTakeFirst();
  return row ? { agencyId: row.agency_id, key: createPublicKey({ key: row.public_jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' }) } : undefined;
}

/** The agency's keys as a JWK set; each `kid` is the verification method URL the JWS header names. */
export function jwksOf(issuerId: string, keys: PublishedKey[]) {
  return { keys: keys.map((k) => ({ ...k.publicJwk, kid: methodIdOf(issuerId, k.kid), alg: 'EdDSA', use: 'sig' })) };
}

/**
 * The agency's controller document (W3C Controlled Identifiers 1.0): its verification
 * methods as JsonWebKey. Retired keys stay listed: they sign nothing new, but what they
 * signed is still the agency's word.
 */
export function controllerDocumentOf(issuerId: string, name: { ko: string; en: string }, keys: PublishedKey[]) {
  const methods = keys.map((k) => ({ id: methodIdOf(issuerId, k.kid), type: 'JsonWebKey', controller: issuerId, publicKeyJwk: k.publicJwk }));
  return {
    '@context': 'https://www.w3.org/ns/cid/v1',
    id: issuerId,
    name: name.en,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}
