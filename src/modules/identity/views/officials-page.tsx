import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, Notice, PageHeading } from '../../../platform/views/components.tsx';
import { roles as allRoles } from '../roles.ts';
import type { OfficialRow } from '../manage-officials.ts';

export interface OfficialsPageProps {
  ctx: PageContext;
  agencyName: string;
  officials: OfficialRow[];
  /** administrators may change things; auditors only read */
  canManage: boolean;
  selfId: number;
  notice?: string | undefined;
}

const assignable = allRoles.filter((r) => r !== 'platform-operator');

export function OfficialsPage({ ctx, agencyName, officials, canManage, selfId, notice }: OfficialsPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.admin.title')}>
      <PageHeading>{t('identity.admin.title')}</PageHeading>
      <p>{t('identity.admin.intro', { agency: agencyName })}</p>
      {canManage ? null : <Notice>{t('identity.admin.readOnly')}</Notice>}
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ul class="nara-card-list">
        {officials.map((o) => (
          <li class="nara-card" id={`official-${o.id}`}>
            <h2>
              {o.displayName} <span class="nara-muted">({o.username})</span>{' '}
              {o.status === 'suspended' ? <span class="krds-badge nara-badge">{t('identity.admin.suspended')}</span> : null}
            </h2>
            <dl class="nara-dl">
              <dt>{t('identity.admin.department')}</dt>
              <dd>{o.department ? (ctx.locale === 'ko' ? o.department.ko : o.department.en) : '-'}</dd>
              <dt>{t('identity.admin.roles')}</dt>
              <dd>{o.roles.map((r) => t(`identity.role.${r}`)).join(', ') || '-'}</dd>
            </dl>
            {canManage && o.id !== selfId ? (
              <div class="nara-admin-actions">
                <form method="post" action={`/admin/officials/${o.id}/roles`}>
                  <CsrfField ctx={ctx} />
                  <fieldset>
                    <legend>{t('identity.admin.changeRoles', { name: o.displayName })}</legend>
                    {assignable.map((role) => (
                      <div class="krds-form-check">
                        <input type="checkbox" name="roles" value={role} id={`role-${o.id}-${role}`} checked={o.roles.includes(role)} />
                        <label for={`role-${o.id}-${role}`}>{t(`identity.role.${role}`)}</label>
                      </div>
                    ))}
                  </fieldset>
                  <button type="submit" class="krds-btn small secondary">{t('identity.admin.saveRoles')}</button>
                </form>
                <form method="post" action={`/admin/officials/${o.id}/status`}>
                  <CsrfField ctx={ctx} />
                  <input type="hidden" name="status" value={o.status === 'active' ? 'suspended' : 'active'} />
                  <button type="submit" class="krds-btn small tertiary">
                    {o.status === 'active' ? t('identity.admin.suspend', { name: o.displayName }) : t('identity.admin.reinstate', { name: o.displayName })}
                  </button>
                </form>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </Layout>
  );
}
