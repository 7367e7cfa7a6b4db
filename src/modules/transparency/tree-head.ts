import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** A signed tree head: what the log commits to at one moment. */
export interface TreeHead {
  treeSize: number;
  /** milliseconds since the Unix epoch, as RFC 6962 */
  timestamp: number;
  rootHash: Uint8Array;
  /** RFC 6962 DigitallySigned: hash and signature algorithm (0x08 0x07, Ed25519), length, signature */
  signature: Uint8Array;
}

/** The JSON of `get-sth` (RFC 6962 §4.3), hashes and signature in base64. */
export interface SthJson {
  tree_size: number;
  timestamp: number;
  sha256_root_hash: string;
  tree_head_signature: string;
}

/** Ed25519 in TLS's SignatureScheme numbering, which RFC 6962's DigitallySigned uses. */
const ED25519 = [0x08, 0x07] as const;

/** The bytes a tree head's signature covers: RFC 6962 §3.5 TreeHeadSignature (v1, tree_hash). */
export function treeHeadSignedData(timestamp: number, treeSize: number, rootHash: Uint8Array): Buffer {
  const data = Buffer.alloc(2 + 8 + 8 + 32);
  data[0] = 0; // version v1
  data[1] = 1; // signature_type tree_hash
  data.writeBigUInt64BE(BigInt(timestamp), 2);
  data.writeBigUInt64BE(BigInt(treeSize), 10);
  Buffer.from(rootHash).copy(data, 18);
  return data;
}

export function encodeDigitallySigned(signature: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + signature.length);
  out[0] = ED25519[0];
  out[1] = ED25519[1];
  out.writeUInt16BE(signature.length, 2);
  Buffer.from(signature).copy(out, 4);
  return out;
}

/** The raw Ed25519 signature inside a DigitallySigned, or undefined if it is not one. */
export function decodeDigitallySigned(encoded: Uint8Array): Buffer | undefined {
  const b = Buffer.from(encoded);
  if (b.length < 4 || b[0] !== ED25519[0] || b[1] !== ED25519[1]) return undefined;
  const length = b.readUInt16BE(2);
  return b.length === 4 + length ? b.subarray(4) : undefined;
}

/** Whether a tree head is signed by `publicKey` (DER SubjectPublicKeyInfo or a key object). */
export function verifyTreeHead(head: TreeHead, publicKey: KeyObject | Uint8Array): boolean {
  if (head.rootHash.length !== 32 || !Number.isSafeInteger(head.treeSize) || head.treeSize < 0 || !Number.isSafeInteger(head.timestamp) || head.timestamp < 0) return false;
  const raw = decodeDigitallySigned(head.signature);
  if (!raw) return false;
  try {
    const key = publicKey instanceof Uint8Array ? createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' }) : publicKey;
    return verify(null, treeHeadSignedData(head.timestamp, head.treeSize, head.rootHash), key, raw);
  } catch {
    return false;
  }
}

export function sthJson(head: TreeHead): SthJson {
  return {
    tree_size: head.treeSize,
    timestamp: head.timestamp,
    sha256_root_hash: Buffer.from(head.rootHash).toString('base64'),
    tree_head_signature: Buffer.from(head.signature).toString('base64'),
  };
}

/** A tree head from `get-sth` JSON, or undefined when a field is missing or malformed. */
export function parseSthJson(json: unknown): TreeHead | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const j = json as Record<string, unknown>;
  if (typeof j.tree_size !== 'number' || typeof j.timestamp !== 'number' || typeof j.sha256_root_hash !== 'string' || typeof j.tree_head_signature !== 'string') return undefined;
  const rootHash = Buffer.from(j.sha256_root_hash, 'base64');
  if (rootHash.length !== 32) return undefined;
  return { treeSize: j.tree_size, timestamp: j.timestamp, rootHash, signature: Buffer.from(j.tree_head_signature, 'base64') };
}
