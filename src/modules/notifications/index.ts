import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { notificationMessages } from './messages.ts';
export { notificationRoutes, type NotificationRouteDeps } from './routes.ts';
export { notify, emailTo, paramsIn, EMAIL_QUEUE, type NotifyOptions, type EmailToOptions, type NotificationParams } from './notify.ts';
export { createEmailSender, type EmailSenderDeps } from './send-email.ts';
export { createMailTransport, type MailTransport } from './mail-transport.ts';

export const notificationMigrations = { owner: 'notifications', dir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations') };
