import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MenuItem } from '../../platform/views/context.ts';

export { applicationMessages } from './messages.ts';
export { applicationRoutes, type ApplicationRouteDeps } from './routes.ts';
export { applicationApiRoutes, type ApplicationApiDeps } from './api-routes.ts';
export { createStepEvents, type StepEvents } from './step-events.ts';
export { serviceFigures } from './service-figures.ts';
export { escalateOverdue } from './escalate-overdue.ts';
export { listHolidays, setHoliday, removeHoliday, type Holiday } from './holiday-calendar.ts';

export const applicationMigrations = { owner: 'applications', dir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations') };
export const applicationMenu: MenuItem[] = [
  { href: '/services', labelKey: 'menu.services' },
  { href: '/applications', labelKey: 'menu.applications', for: 'resident' },
  { href: '/work', labelKey: 'menu.work', for: 'official' },
];
export { createAttachmentScanner, SCAN_QUEUE } from './attachments.ts';
export { govstackRoutes, GOVSTACK_PREFIX, type GovstackRouteDeps } from './govstack-routes.ts';
export { seedDemoApplications } from './seed-applications.ts';
export { stepRecords } from './logged-steps.ts';
export { approvedApplication, APPROVED_QUEUE, type ApprovedApplication } from './approved-application.ts';
