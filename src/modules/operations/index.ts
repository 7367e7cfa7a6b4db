export { operationsRoutes, type OperationsRouteDeps } from './routes.ts';
