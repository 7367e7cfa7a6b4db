import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { enqueueJob } from '../../platform/jobs/jobs.ts';
import type { MultipartFile } from '@fastify/multipart';
import { ownApplication } from './own-application.ts';
import { announceChange } from './step-events.ts';

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENTS_PER_APPLICATION = 10;
export const SCAN_QUEUE = 'applications.scan-attachment';

type Kind = 'application/pdf' | 'image/png' | 'image/jpeg';

/** A file field of a multipart form, as `uploadOptions` leaves it in the body. */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
  /** cut at the size limit: refused with a message rather than a bare 413 */
  truncated: boolean;
}

/**
 * How both upload routes read multipart forms: fields as plain values (the CSRF token
 * among them), each file read into memory up to ATTACHMENT_MAX_BYTES as an UploadedFile.
 */
export function uploadOptions(files: number) {
  return {
    attachFieldsToBody: 'keyValues' as const,
    throwFileSizeLimit: false,
    limits: { fileSize: ATTACHMENT_MAX_BYTES, files, fields: 5, fieldSize: 2000, parts: files + 5 },
    async onFile(part: MultipartFile) {
      const file: UploadedFile = { filename: part.filename, bytes: await part.toBuffer(), truncated: part.file.truncated };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  };
}

/** The file's type by its first bytes; the name and the browser's claim are not trusted. */
export function sniffType(bytes: Uint8Array): Kind | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return undefined;
}

/** A file name safe to store and to send back: its last part, no control characters. */
export function cleanFilename(name: string): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return cleaned || 'document';
}

/** An attachment can be added or removed while the applicant may still change the application. */
const changeable = new Set(['draft', 'awaiting-supplement']);

export interface UploadOptions {
  applicationId: number;
  accountId: number;
  document: string;
  filename: string;
  bytes: Uint8Array;
  /** the upload was cut at the size limit */
  truncated: boolean;
}

/**
 * Attaches a document to the applicant's own application while it is a draft or waiting for
 * a supplement, and queues its virus scan.
 * @throws DomainError NOT_FOUND, ACTION_NOT_ALLOWED, VALIDATION_FAILED (type, size, empty,
 *   too many, unknown document)
 */
export async function uploadAttachment(db: Db, o: UploadOptions): Promise<number> {
  const { application, service } = await ownApplication(db, o.applicationId, o.accountId);
  if (!changeable.has(application.status)) throw new DomainError('ACTION_NOT_ALLOWED', 'applications.attachment.error.closed', { allowed: [] });
  const fail = (key: string, params?: Record<string, string | number>) => new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'file', messageKey: key, ...(params ? { params } : {}) }] });
  if (o.document !== 'other' && !(/^\d+$/.test(o.document) && Number(o.document) < service.documents.length)) throw fail('applications.attachment.error.document');
  if (o.truncated || o.bytes.length > ATTACHMENT_MAX_BYTES) throw fail('applications.attachment.error.size', { mb: ATTACHMENT_MAX_BYTES / 1024 / 1024 });
  if (o.bytes.length === 0) throw fail('applications.attachment.error.empty');
  const type = sniffType(o.bytes);
  if (!type) throw fail('applications.attachment.error.type');
  return db.transaction().execute(async (tx) => {
    const { n } = await tx.selectFrom('application_attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('application_id', '=', o.applicationId).where('removed_at', 'is', null).executeTakeFirstOrThrow();
    if (Number(n) >= ATTACHMENTS_PER_APPLICATION) throw fail('applications.attachment.error.count', { max: ATTACHMENTS_PER_APPLICATION });
    const { id } = await tx
      .insertInto('application_attachments')
      .values({ application_id: o.applicationId, document: o.document, filename: cleanFilename(o.filename), content_type: type, size_bytes: o.bytes.length, sha256: createHash('sha256').update(o.bytes).digest('hex'), content: o.bytes, uploaded_by: o.accountId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueueJob(tx, SCAN_QUEUE, { attachmentId: id }, { dedupeKey: `scan:${id}` });
    await announceChange(tx, o.applicationId);
    await writeAuditEvent(tx, { action: 'applications.attachment.added', actor: { accountId: o.accountId }, subject: { type: 'application', id: o.applicationId }, details: { attachmentId: id, type, bytes: o.bytes.length } });
    return id;
  });
}

/**
 * Takes a document off an application that can still be changed (it stays in the database,
 * marked removed).
 * @throws DomainError NOT_FOUND, ACTION_NOT_ALLOWED
 */
export async function removeAttachment(db: Db, o: { applicationId: number; accountId: number; attachmentId: number }): Promise<void> {
  const { application } = await ownApplication(db, o.applicationId, o.accountId);
  if (!changeable.has(application.status)) throw new DomainError('ACTION_NOT_ALLOWED', 'applications.attachment.error.closed', { allowed: [] });
  await db.transaction().execute(async (tx) => {
    const done = await tx.updateTable('application_attachments').set({ removed_at: sql<Date>`now()` }).where('id', '=', o.attachmentId).where('application_id', '=', o.applicationId).where('removed_at', 'is', null).executeTakeFirst();
    if (done.numUpdatedRows === 0n) throw new DomainError('NOT_FOUND');
    await announceChange(tx, o.applicationId);
    await writeAuditEvent(tx, { action: 'applications.attachment.removed', actor: { accountId: o.accountId }, subject: { type: 'application', id: o.applicationId }, details: { attachmentId: o.attachmentId } });
  });
}

export interface AttachmentView {
  id: number;
  document: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  scanStatus: 'pending' | 'clean' | 'infected' | 'unscanned';
  createdAt: Date;
}

export async function attachmentsOf(db: Executor, applicationId: number): Promise<AttachmentView[]> {
  const rows = await db
    .selectFrom('application_attachments')
    .select(['id', 'document', 'filename', 'content_type', 'size_bytes', 'scan_status', 'created_at'])
    .where('application_id', '=', applicationId)
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, document: r.document, filename: r.filename, contentType: r.content_type, sizeBytes: r.size_bytes, scanStatus: r.scan_status, createdAt: r.created_at }));
}

/** The file itself, for a reader already allowed to see the application. Infected files are never sent. */
export async function attachmentContent(db: Executor, applicationId: number, attachmentId: number): Promise<{ filename: string; contentType: string; content: Uint8Array } | undefined> {
  const row = await db
    .selectFrom('application_attachments')
    .select(['filename', 'content_type', 'content', 'scan_status'])
    .where('id', '=', attachmentId)
    .where('application_id', '=', applicationId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.scan_status === 'infected') throw new DomainError('FORBIDDEN', 'applications.attachment.error.infected');
  return { filename: row.filename, contentType: row.content_type, content: row.content };
}

/**
 * The scan job: runs the configured command on the file (exit 0 clean, 1 infected; anything
 * else throws, so the job is retried). Without a command the file is marked not scanned.
 */
export function createAttachmentScanner(deps: { db: Db; command?: string | undefined }) {
  return async (payload: Record<string, unknown>) => {
    const id = Number(payload.attachmentId);
    const row = await deps.db.selectFrom('application_attachments').select(['content', 'scan_status']).where('id', '=', id).executeTakeFirst();
    if (!row || row.scan_status !== 'pending') return;
    let status: 'clean' | 'infected' | 'unscanned' = 'unscanned';
    if (deps.command) {
      const dir = await mkdtemp(path.join(tmpdir(), 'nara-scan-'));
      const file = path.join(dir, 'upload');
      try {
        await writeFile(file, row.content, { mode: 0o600 });
        const [cmd, ...args] = deps.command.split(/\s+/).filter(Boolean);
        const code = await new Promise<number>((resolve) => execFile(cmd!, [...args, file], { timeout: 120_000 }, (error) => resolve(error ? (typeof error.code === 'number' ? error.code : -1) : 0)));
        if (code === 0) status = 'clean';
        else if (code === 1) status = 'infected';
        else throw new Error(`virus scan of attachment ${id} failed (exit ${code}); will retry`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    await deps.db.updateTable('application_attachments').set({ scan_status: status, scanned_at: sql<Date>`now()` }).where('id', '=', id).execute();
  };
}
