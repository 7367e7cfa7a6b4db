import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Executor } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';

export interface LogKey {
  /** base64 SHA-256 of the DER public key, as RFC 6962 names a log */
  keyId: string;
  /** DER SubjectPublicKeyInfo */
  publicKey: Buffer;
  publicKeyObject: KeyObject;
  sign(data: Uint8Array): Buffer;
}

export type LogSigner = () => Promise<LogKey>;

/**
 * The log's Ed25519 signing key, created on first use and kept encrypted under DATA_KEY.
 * The first key ever stored is the log's key: every instance signs with the same one.
 */
export function createLogSigner(db: Executor, encryption: FieldEncryption): LogSigner {
  let loaded: Promise<LogKey> | undefined;
  const load = async (): Promise<LogKey> => {
    const first = () => db.selectFrom('transparency_keys').selectAll().orderBy('created_at').orderBy('key_id').limit(1).executeTakeFirst();
    let row = await first();
    if (!row) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const der = publicKey.export({ format: 'der', type: 'spki' });
      await db
        .insertInto('transparency_keys')
        .values({ key_id: keyIdOf(der), public_key: der, private_key_cipher: encryption.encrypt(privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')) })
        .onConflict((oc) => oc.doNothing())
        .execute();
      row = await first();
      if (!row) throw new Error('transparency: the signing key was not stored');
    }
    const privateKey = createPrivateKey({ key: Buffer.from(encryption.decrypt(row.private_key_cipher), 'base64'), format: 'der', type: 'pkcs8' });
    const publicKey = Buffer.from(row.public_key);
    return { keyId: row.key_id, publicKey, publicKeyObject: createPublicKey({ key: publicKey, format: 'der', type: 'spki' }), sign: (data) => sign(null, data, privateKey) };
  };
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}

export function keyIdOf(publicKeyDer: Uint8Array): string {
  return createHash('sha256').update(publicKeyDer).digest('base64');
}
