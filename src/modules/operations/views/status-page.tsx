import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { Notice, PageHeading } from '../../../platform/views/components.tsx';

export interface StatusView {
  database: boolean;
  migrations: boolean;
  queued: number;
  failed: number;
  version: string;
}

export function StatusPage({ ctx, status }: { ctx: PageContext; status: StatusView }) {
  const { t } = ctx;
  const good = status.database && status.migrations;
  const state = (ok: boolean) => (ok ? t('status.ok') : t('status.problem'));
  return (
    <Layout ctx={ctx} title={t('status.title')}>
      <PageHeading>{t('status.title')}</PageHeading>
      <Notice kind={good ? 'success' : 'warning'}>{good ? t('status.allGood') : t('status.degraded')}</Notice>
      <dl class="nara-dl">
        <dt>{t('status.database')}</dt>
        <dd>{state(status.database)}</dd>
        <dt>{t('status.migrations')}</dt>
        <dd>{state(status.migrations)}</dd>
        <dt>{t('status.jobs')}</dt>
        <dd>{t('status.count', { count: status.queued })}</dd>
        <dt>{t('status.failedJobs')}</dt>
        <dd>{t('status.count', { count: status.failed })}</dd>
        <dt>{t('status.version')}</dt>
        <dd>{status.version}</dd>
      </dl>
    </Layout>
  );
}
