import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of single fields at rest (national ID numbers): AES-256-GCM with a random
 * IV, plus a keyed hash so the field can be looked up without decrypting every row.
 * The two keys are derived from DATA_KEY so one secret serves both purposes.
 */
export function createFieldEncryption(dataKeyHex: string) {
  const master = Buffer.from(dataKeyHex, 'hex');
  const encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'nara:field-encryption', 32));
  const macKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'nara:field-lookup', 32));
  return {
    encrypt(plaintext: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
    },
    decrypt(token: string): string {
      const [version, iv, tag, ct] = token.split('.');
      if (version !== 'v1' || !iv || !tag || !ct) throw new Error('Unknown ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
    lookupHash(value: string): string {
      return createHmac('sha256', macKey).update(value).digest('base64url');
    },
  };
}
export type FieldEncryption = ReturnType<typeof createFieldEncryption>;
