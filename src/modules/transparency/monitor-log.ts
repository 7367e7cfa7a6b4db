import { verifyConsistency } from './merkle.ts';
import { parseSthJson, sthJson, verifyTreeHead, type SthJson } from './tree-head.ts';

/** What a monitor remembers between runs: the key it trusts and the heads it has verified. */
export interface MonitorState {
  url: string;
  /** base64 DER public key, pinned on the first run */
  publicKey: string;
  keyId: string;
  /** verified heads, oldest first (the newest few hundred) */
  heads: SthJson[];
}

export interface MonitorProblem {
  kind: 'unreachable' | 'bad-answer' | 'key-changed' | 'bad-signature' | 'time-went-back' | 'log-shrank' | 'history-rewritten';
  message: string;
}

export interface MonitorReport {
  head?: SthJson;
  /** the head is new and verified against the previous one */
  advanced: boolean;
  problems: MonitorProblem[];
  state: MonitorState;
}

const KEEP = 500;

/** The log API base of a Nara, given its address or the API's. */
export function logApiOf(url: string): string {
  const base = url.replace(/\/+$/, '');
  return base.endsWith('/transparency/v1') ? base : `${base}/transparency/v1`;
}

/**
 * Fetches a Nara's latest signed tree head and checks it as an outside observer: signed by
 * the key pinned on the first run, never older or smaller than a head seen before, and
 * consistent with the last verified head by the log's own consistency proof. Only a head
 * that passes joins the state, so a forged head cannot become the next reference.
 */
export async function monitorLog(url: string, previous: MonitorState | undefined, fetchFn: typeof fetch = fetch): Promise<MonitorReport> {
  const api = logApiOf(url);
  const problems: MonitorProblem[] = [];
  const state: MonitorState = previous ? { ...previous, heads: [...previous.heads] } : { url, publicKey: '', keyId: '', heads: [] };
  const done = (extra: Partial<MonitorReport> = {}): MonitorReport => ({ advanced: false, problems, state, ...extra });

  const get = async (path: string): Promise<unknown> => {
    const response = await fetchFn(`${api}/${path}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  };

  let key: { key?: unknown; key_id?: unknown };
  let sth: unknown;
  try {
    key = (await get('get-public-key')) as typeof key;
    sth = await get('get-sth');
  } catch (error) {
    problems.push({ kind: 'unreachable', message: `could not read the log at ${api}: ${(error as Error).message}` });
    return done();
  }
  if (typeof key.key !== 'string' || typeof key.key_id !== 'string') {
    problems.push({ kind: 'bad-answer', message: 'get-public-key did not return a key' });
    return done();
  }
  // Trust on first use: the key is pinned only together with the first head that verifies with it.
  const pinned = state.publicKey || key.key;
  if (state.publicKey && state.publicKey !== key.key) {
    // A new key could sign any history: keep trusting only the pinned one.
    problems.push({ kind: 'key-changed', message: `the log now offers another signing key (${key.key_id}); still checking against the pinned key ${state.keyId}` });
  }

  const head = parseSthJson(sth);
  if (!head) {
    problems.push({ kind: 'bad-answer', message: 'get-sth did not return a tree head' });
    return done();
  }
  const headJson = sthJson(head);
  if (!verifyTreeHead(head, Buffer.from(pinned, 'base64'))) {
    problems.push({ kind: 'bad-signature', message: `the tree head of size ${head.treeSize} is not signed by the log's key: it is forged or corrupted` });
    return done({ head: headJson });
  }

  const last = state.heads.length > 0 ? parseSthJson(state.heads[state.heads.length - 1]) : undefined;
  if (last) {
    if (head.timestamp < last.timestamp) problems.push({ kind: 'time-went-back', message: `the new head is dated before the last one seen (${new Date(head.timestamp).toISOString()} < ${new Date(last.timestamp).toISOString()})` });
    if (head.treeSize < last.treeSize) {
      problems.push({ kind: 'log-shrank', message: `the log now has ${head.treeSize} entries; it had ${last.treeSize}: entries were removed` });
    } else if (head.treeSize === last.treeSize) {
      if (!Buffer.from(head.rootHash).equals(Buffer.from(last.rootHash))) problems.push({ kind: 'history-rewritten', message: `two different trees of ${head.treeSize} entries were signed: the history was rewritten` });
    } else if (last.treeSize > 0) {
      let proof: Buffer[] | undefined;
      try {
        const answer = (await get(`get-sth-consistency?first=${last.treeSize}&second=${head.treeSize}`)) as { consistency?: unknown };
        if (Array.isArray(answer.consistency) && answer.consistency.every((p) => typeof p === 'string')) proof = answer.consistency.map((p: string) => Buffer.from(p, 'base64'));
      } catch (error) {
        problems.push({ kind: 'unreachable', message: `could not get a consistency proof: ${(error as Error).message}` });
        return done({ head: headJson });
      }
      if (!proof || !verifyConsistency({ first: last.treeSize, second: head.treeSize, firstRoot: last.rootHash, secondRoot: head.rootHash, proof })) {
        problems.push({ kind: 'history-rewritten', message: `the tree of ${head.treeSize} entries does not extend the tree of ${last.treeSize} seen before: the history was rewritten` });
      }
    }
  }
  if (problems.some((p) => p.kind !== 'key-changed')) return done({ head: headJson });
  const isNew = !last || head.treeSize !== last.treeSize || head.timestamp !== last.timestamp;
  if (!state.publicKey) {
    state.publicKey = key.key;
    state.keyId = key.key_id;
  }
  if (isNew) state.heads = [...state.heads, headJson].slice(-KEEP);
  return done({ head: headJson, advanced: isNew });
}
