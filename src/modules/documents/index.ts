import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { documentsMessages } from './messages.ts';
export { documentRoutes, type DocumentRouteDeps, type MachineClient } from './routes.ts';
export { createIssuerKeys, type IssuerKeys } from './issuer-keys.ts';
export { createVerifier, type Verifier } from './verify-certificate.ts';
export { createStatusLists } from './publish-status-list.ts';
export { createVerificationLog, type VerificationLog } from './verification-log.ts';
export { createCertificateRenderer } from './certificate-renderer.ts';
export { seedCertificateTypes } from './certificate-types.ts';
export { issueOnApproval } from './issue-on-approval.ts';
export { rotateIssuerKey, listIssuerKeys } from './rotate-issuer-key.ts';

export const documentsMigrations = { owner: 'documents', dir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations') };
export const documentsMenu = [
  { href: '/certificates', labelKey: 'menu.certificates', for: 'resident' as const },
  { href: '/mobile-id', labelKey: 'menu.mobileId', for: 'resident' as const },
  { href: '/verify', labelKey: 'menu.verify' },
];
