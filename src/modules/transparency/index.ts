import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { transparencyMessages } from './messages.ts';
export { transparencyRoutes, LOG_API, type TransparencyRouteDeps } from './routes.ts';
export { createTransparencyLog, type TransparencyLog } from './transparency-log.ts';
export { appendEntry, contentHashOf, parseLeafInput, type LogEvent, type LeafContent } from './append-entry.ts';
export { auditLog, type RecordSource, type AuditReport, type Problem } from './audit-log.ts';
export { monitorLog, type MonitorState, type MonitorReport } from './monitor-log.ts';
export { entriesBySubject, type EntryRow } from './repository.ts';
export { canonicalJson } from './canonical-json.ts';

export const transparencyMigrations = { owner: 'transparency', dir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations') };
