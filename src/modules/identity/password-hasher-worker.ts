// A password-hashing process (see password-hasher.ts). It runs at the lowest scheduling
// priority, so hashing uses every spare cycle but never delays the server's threads.
import { hashSync, verifySync, type Options } from '@node-rs/argon2';

export type HashRequest = { id: number; op: 'hash'; password: string; params: Options } | { id: number; op: 'verify'; stored: string; password: string };
export type HashResponse = { id: number; ok: true; value: string | boolean } | { id: number; ok: false; error: string };

process.on('message', (request: HashRequest) => {
  let response: HashResponse;
  try {
    const value = request.op === 'hash' ? hashSync(request.password, request.params) : verifySync(request.stored, request.password);
    response = { id: request.id, ok: true, value };
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  process.send!(response);
});
// The server went away: so does this process.
process.on('disconnect', () => process.exit(0));
