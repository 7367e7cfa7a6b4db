import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { DomainError } from '../http/errors.ts';

/** Runs the procedure exported as `name` by the module at `moduleUrl` where the database is. */
export type ProcedureRunner = (moduleUrl: string, name: string, args: unknown) => Promise<unknown>;

type Db = Kysely<DB>;
const runners = new WeakMap<Db, ProcedureRunner>();
const HERE = Symbol('the procedure itself');

export type Procedure<A, R> = ((db: Db, args: A) => Promise<R>) & { readonly [HERE]: (db: Db, args: A) => Promise<R> };

/**
 * A use case whose whole transaction may run beside the database. With the embedded
 * database on a thread of its own, each statement of a transaction otherwise crosses to
 * that thread and back, and its reply waits for the HTTP thread to be free to take it: under
 * load a short transaction held the only session for tens of milliseconds, and every other
 * query waited for it. Run on the database's thread, it holds the session only for its own
 * work. Elsewhere (PostgreSQL, PGlite on this thread, a transaction) it runs here as it is.
 *
 * `name` is the module's export of the result; `args` and the result cross threads by
 * structured clone (plain data), and a DomainError comes back as one.
 */
export function besideTheDatabase<A, R>(moduleUrl: string, name: string, procedure: (db: Db, args: A) => Promise<R>): Procedure<A, R> {
  const call = async (db: Db, args: A): Promise<R> => {
    const runner = runners.get(db);
    return runner ? ((await runner(moduleUrl, name, args)) as R) : procedure(db, args);
  };
  return Object.assign(call, { [HERE]: procedure });
}

/** Has `db`'s procedures run by `runner` (the embedded database's thread). */
export function runProceduresWith(db: Db, runner: ProcedureRunner): void {
  runners.set(db, runner);
}

/** On the database's thread: the procedure behind an export, or undefined if it is none. */
export function procedureOf(exported: unknown): ((db: Db, args: unknown) => Promise<unknown>) | undefined {
  return typeof exported === 'function' && HERE in exported ? (exported as Procedure<unknown, unknown>)[HERE] : undefined;
}

/** An error as plain fields that cross threads (postMessage copies them): a database error's code, detail, constraint…; a DomainError's details. */
export function errorFields(error: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = { message: error instanceof Error ? error.message : String(error) };
  if (error && typeof error === 'object') for (const [key, value] of Object.entries(error)) if (typeof value !== 'function' && typeof value !== 'object') fields[key] = value;
  if (error instanceof DomainError) fields.domain = { code: error.code, messageKey: error.messageKey, details: error.details };
  return fields;
}

/** The error `errorFields` described, as the same kind of error. */
export function errorFromFields(fields: Record<string, unknown>): Error {
  const domain = fields.domain as { code: DomainError['code']; messageKey: string; details: DomainError['details'] } | undefined;
  if (domain) return new DomainError(domain.code, domain.messageKey, domain.details);
  const { domain: _, ...rest } = fields;
  return Object.assign(new Error(String(fields.message)), rest);
}
