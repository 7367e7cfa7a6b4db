import type { CompiledQuery, Compilable, QueryResult } from 'kysely';
import type { Executor } from './database.ts';

/** Stands in for a value while a reusable query is built. */
class StandIn {
  constructor(readonly name: string) {}
}

/**
 * A query whose shape never changes, built and compiled by Kysely once; each run only puts
 * its values in. For the busiest writes: Kysely otherwise builds, freezes and compiles the
 * same tree on every run, and on a submission that was a good part of the time spent
 * outside the database.
 *
 * `build` receives stand-ins for the values. Place them in the query as they are: work out
 * anything derived from them (`?? null`, `JSON.stringify`, `String(…)`) before the call, and
 * let nothing else in the query depend on them. A value left undefined is refused rather
 * than sent as null (Kysely would have left the column out).
 */
export function reusableQuery<V extends object, R>(build: (db: Executor, values: V) => Compilable<R>): (db: Executor, values: V) => Promise<QueryResult<R>> {
  let template: { query: CompiledQuery<R>; names: Array<string | undefined> } | undefined;
  return async (db, values) => {
    if (!template) {
      const standIns = new Proxy({}, { get: (_, name) => new StandIn(String(name)) }) as V;
      const query = build(db, standIns).compile();
      template = { query, names: query.parameters.map((p) => (p instanceof StandIn ? p.name : undefined)) };
    }
    const { query, names } = template;
    const parameters = query.parameters.map((fixed, i) => {
      const name = names[i];
      if (name === undefined) return fixed;
      const value = (values as Record<string, unknown>)[name];
      if (value === undefined) throw new Error(`reusableQuery: no value for "${name}" in ${query.sql}`);
      return value;
    });
    return db.executeQuery<R>({ ...query, parameters });
  };
}
