import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type { PGliteSession } from './pglite-dialect.ts';

/** Statements kept prepared at once; the least recently used beyond this is closed. */
const MAX_PREPARED = 500;

const SCHEMA_CHANGE = /\b(create|alter|drop)\s+(table|type|view|index|unique|function|trigger|schema|extension|materialized|or\s+replace|domain|sequence)\b|\btruncate\b/i;

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/**
 * PGlite's session with each parameterised statement prepared once and then only bound
 * and executed. PGlite's own `query` parses, describes, binds, describes and executes
 * every statement in six calls into WebAssembly, and PostgreSQL parses and plans it each
 * time; here a statement seen before is one call, and PostgreSQL reuses its parse (and,
 * after a few runs, its plan), as it does for a driver's prepared statements on a server.
 * Values are serialised and rows parsed exactly as PGlite's `query` does. Statements
 * without parameters go to `exec` (the simple protocol, several statements at once).
 */
export function preparedSession(pglite: PGlite): PGliteSession {
  // SQL text → statement name and parameter types; a Map keeps insertion order, refreshed on use.
  const prepared = new Map<string, { name: string; types: number[] }>();
  let next = 1;

  return {
    async exec(sql) {
      const results = await pglite.exec(sql);
      // A changed table can change what a prepared `select *` returns, which PostgreSQL
      // then refuses ("cached plan must not change result type"): after any schema
      // change (migrations), every statement is prepared afresh.
      if (prepared.size > 0 && SCHEMA_CHANGE.test(sql)) {
        prepared.clear();
        await pglite.exec('deallocate all');
      }
      return results;
    },
    query<R>(sql: string, params: unknown[] = []) {
      return pglite._runExclusiveQuery(async () => {
        let statement = prepared.get(sql);
        const ahead: Uint8Array[] = [];
        if (statement) {
          prepared.delete(sql);
          prepared.set(sql, statement);
        } else {
          const name = `nara_${next++}`;
          const described = await pglite.execProtocol(concat([protocol.serialize.parse({ name, text: sql }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()]), { syncToFs: false });
          statement = { name, types: parse.parseDescribeStatementResults(described.messages) };
          prepared.set(sql, statement);
          if (prepared.size > MAX_PREPARED) {
            const [oldest, { name: closing }] = prepared.entries().next().value!;
            prepared.delete(oldest);
            ahead.push(protocol.serialize.close({ type: 'S', name: closing }));
          }
        }
        const values = params.map((param, i) => {
          if (param === null || param === undefined) return null;
          const serialize = pglite.serializers[statement.types[i]!];
          return serialize ? serialize(param) : String(param);
        });
        const result = await pglite.execProtocol(
          concat([...ahead, protocol.serialize.bind({ statement: statement.name, values: values as never }), protocol.serialize.describe({ type: 'P' }), protocol.serialize.execute({}), protocol.serialize.sync()]),
        );
        return parse.parseResults(result.messages, pglite.parsers)[0] as unknown as { rows: R[]; affectedRows?: number };
      });
    },
  };
}
