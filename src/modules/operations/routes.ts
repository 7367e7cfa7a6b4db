import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Migration } from '../../platform/db/migrate.ts';
import { pendingMigrations } from '../../platform/db/migrate.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import type { PageContextFactory } from '../../platform/http/platform.ts';
import { h } from 'preact';
import { StatusPage } from './views/status-page.tsx';

export interface OperationsRouteDeps {
  db: Db;
  migrations: Migration[];
  metrics: Metrics;
  version: string;
  databaseKind: 'pglite' | 'postgres';
  pageContext: PageContextFactory;
}

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });

export function operationsRoutes(deps: OperationsRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/healthz',
      {
        config: { rateLimit: false },
        schema: { tags: ['operations'], summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), uptimeSeconds: Type.Number() }) } },
      },
      async () => ({ status: 'ok' as const, version: deps.version, uptimeSeconds: Math.round(process.uptime()) }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['operations'],
          summary: 'The database answers and every migration is applied',
          response: {
            200: Type.Object({ status: Type.Literal('ready'), checks: Type.Object({ database: Check, migrations: Check }) }),
            503: Type.Object({ status: Type.Literal('not-ready'), checks: Type.Object({ database: Check, migrations: Check }) }),
          },
        },
      },
      async (_request, reply) => {
        const checks = { database: { ok: false } as { ok: boolean; detail?: string }, migrations: { ok: false } as { ok: boolean; detail?: string } };
        try {
          await sql`select 1`.execute(deps.db);
          checks.database = { ok: true, detail: deps.databaseKind };
          const pending = await pendingMigrations(deps.db, deps.migrations);
          checks.migrations = pending.length === 0 ? { ok: true, detail: `${deps.migrations.length} applied` } : { ok: false, detail: `pending: ${pending.join(', ')}` };
        } catch (error) {
          // Say what failed, not how: the message of a driver error can carry host names.
          checks.database = { ok: false, detail: 'unreachable' };
          app.log.warn({ err: error }, 'readiness check failed');
        }
        const ready = checks.database.ok && checks.migrations.ok;
        if (!ready) return reply.code(503).send({ status: 'not-ready' as const, checks });
        return { status: 'ready' as const, checks };
      },
    );

    app.get('/status', { schema: { hide: true } }, async (request, reply) => {
      let database = false;
      let migrationsOk = false;
      let queued = 0;
      let failed = 0;
      try {
        await sql`select 1`.execute(deps.db);
        database = true;
        migrationsOk = (await pendingMigrations(deps.db, deps.migrations)).length === 0;
        const jobs = await sql<{ queued: number; failed: number }>`
          select count(*) filter (where completed_at is null and failed_at is null)::int as queued,
                 count(*) filter (where failed_at > now() - interval '24 hours')::int as failed
          from jobs`.execute(deps.db);
        queued = jobs.rows[0]?.queued ?? 0;
        failed = jobs.rows[0]?.failed ?? 0;
      } catch (error) {
        request.log.warn({ err: error }, 'status check failed');
      }
      const ctx = await deps.pageContext(request, reply).catch(() => undefined);
      if (!ctx) return reply.code(503).send({ status: 'not-ready' });
      return reply.page(h(StatusPage, { ctx, status: { database, migrations: migrationsOk, queued, failed, version: deps.version } }), database && migrationsOk ? 200 : 503);
    });

    app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', produces: ['text/plain'] } }, async (_request, reply) => {
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    });
  };
}
