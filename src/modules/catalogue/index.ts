export { catalogueMessages } from './messages.ts';
export { catalogueRoutes, type CatalogueRouteDeps } from './routes.ts';
