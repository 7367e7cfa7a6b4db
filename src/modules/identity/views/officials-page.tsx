import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading, TextField, type FieldErrorView } from '../../../platform/views/components.tsx';
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
  agencyId: number;
  departments: Array<{ id: number; name: string }>;
  invite: { values: Record<string, string | string[]>; errors: FieldErrorView[] };
  inviteHours: number;
}

const assignable = allRoles.filter((r) => r !== 'platform-operator');

export function OfficialsPage({ ctx, agencyName, officials, canManage, selfId, notice, agencyId, departments, invite, inviteHours }: OfficialsPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.admin.title')}>
      <PageHeading>{t('identity.admin.title')}</PageHeading>
      <p>{t('identity.admin.intro', { agency: agencyName })}</p>
      {canManage ? null : <Notice>{t('identity.admin.readOnly')}</Notice>}
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {canManage ? <InviteForm ctx={ctx} agencyId={agencyId} departments={departments} invite={invite} hours={inviteHours} /> : null}
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

function InviteForm({ ctx, agencyId, departments, invite, hours }: { ctx: PageContext; agencyId: number; departments: Array<{ id: number; name: string }>; invite: OfficialsPageProps['invite']; hours: number }) {
  const { t } = ctx;
  const value = (k: string) => (typeof invite.values[k] === 'string' ? (invite.values[k] as string) : '');
  const chosen = Array.isArray(invite.values.roles) ? invite.values.roles : invite.values.roles ? [invite.values.roles] : [];
  const errorFor = (field: string) => invite.errors.find((e) => e.field === field)?.message;
  return (
    <section class="nara-card nara-narrow" aria-labelledby="invite-heading" id="invite">
      <h2 id="invite-heading">{t('identity.invite.title')}</h2>
      <p>{t('identity.invite.intro', { hours })}</p>
      <ErrorSummary ctx={ctx} errors={invite.errors} />
      <form method="post" action={`/admin/officials/invite?agency=${agencyId}`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField id="displayName" label={t('identity.invite.displayName')} value={value('displayName')} error={errorFor('displayName')} required />
        <TextField id="username" label={t('identity.invite.username')} hint={t('identity.signUp.usernameHint')} value={value('username')} error={errorFor('username')} required />
        <TextField id="email" type="email" label={t('identity.invite.email')} value={value('email')} error={errorFor('email')} required />
        <div class="form-group nara-field">
          <div class="form-tit">
            <label for="departmentId">{t('identity.invite.department')}</label>
          </div>
          <select id="departmentId" name="departmentId" class="krds-form-select">
            <option value="">{t('identity.invite.noDepartment')}</option>
            {departments.map((d) => (
              <option value={String(d.id)} selected={value('departmentId') === String(d.id)}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="nara-fieldset" id="roles" aria-describedby={errorFor('roles') ? 'roles-error' : undefined}>
          <legend>{t('identity.invite.roles')}</legend>
          {assignable.map((role) => (
            <div class="krds-form-check">
              <input type="checkbox" name="roles" value={role} id={`invite-role-${role}`} checked={chosen.includes(role)} />
              <label for={`invite-role-${role}`}>{t(`identity.role.${role}`)}</label>
            </div>
          ))}
          {errorFor('roles') ? (
            <p class="form-hint-invalid" id="roles-error">
              {errorFor('roles')}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" class="krds-btn medium primary">{t('identity.invite.submit')}</button>
      </form>
    </section>
  );
}
