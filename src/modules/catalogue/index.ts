import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { catalogueMessages } from './messages.ts';
export { catalogueRoutes, type CatalogueRouteDeps } from './routes.ts';
export { seedCatalogue } from './seed-catalogue.ts';
export { findPublishedService, findServiceVersion, listPublishedServices, type ServiceVersion } from './repository.ts';
export type { ServiceFigures } from './views/service-page.tsx';
export { FormFields, answerText } from './views/form-fields.tsx';
export { checkAnswers, fieldsOf, isAsked, readAnswers, withoutUnasked, type FormData, type FormField, type FormSection, type ServiceForm } from './service-form.ts';

export const catalogueMigrations = { owner: 'catalogue', dir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations') };
