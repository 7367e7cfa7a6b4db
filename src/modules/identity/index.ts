import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/database.ts';
import type { ViewAccount } from '../../platform/views/context.ts';
import { findAccountById } from './repository.ts';

export { identityMessages } from './messages.ts';
export { identityRoutes, type IdentityRouteDeps } from './routes.ts';
export { createAgencyDirectory, type AgencyDirectory } from './agency-directory.ts';
export { createOfficial, type CreateOfficialOptions } from './create-official.ts';
export { seedIdentity, listDemoAccounts, type SeededAccount, type DemoResidentForAccount } from './seed-identity.ts';
export { DEMO_PASSWORD } from './demo-agencies.ts';
export { roles, type Role } from './roles.ts';
export { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.ts';
export { createSecondFactor, type SecondFactor } from './second-factor.ts';

export const identityMigrations = { owner: 'identity', dir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations') };
export const identityMenu = [{ href: '/agencies', labelKey: 'menu.agencies' }];

/** The signed-in account as pages show it; suspended accounts count as signed out. */
export async function loadViewAccount(db: Db, accountId: number): Promise<ViewAccount | undefined> {
  const account = await findAccountById(db, accountId);
  if (!account || account.status !== 'active') return undefined;
  return { id: account.id, displayName: account.display_name, kind: account.kind };
}

/** Contact details for e-mail delivery (notifications reads them through here). */
export async function accountContact(db: Db, accountId: number): Promise<{ email: string | null; locale: 'ko' | 'en'; displayName: string } | undefined> {
  const account = await findAccountById(db, accountId);
  return account ? { email: account.email, locale: account.locale, displayName: account.display_name } : undefined;
}
export { businessesActingFor } from './link-business.ts';
export { oidcRoutes, type OidcRouteDeps } from './oidc-routes.ts';
export { registerOidcClient, listOidcClients, disableOidcClient, type RegisteredClient } from './oidc-clients.ts';
export { purgeOidcPayloads } from './oidc-adapter.ts';
export { OIDC_SCOPES } from './oidc-claims.ts';
