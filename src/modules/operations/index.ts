export { operationsRoutes, type OperationsRouteDeps } from './routes.ts';
export { operationsMessages } from './messages.ts';
