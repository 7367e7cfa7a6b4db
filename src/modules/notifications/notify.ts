import type { Executor } from '../../platform/db/database.ts';
import { enqueueJob } from '../../platform/jobs/jobs.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';

export const EMAIL_QUEUE = 'notifications.email';

export type NotificationParams = Record<string, string | number | { ko: string; en: string }>;

/** Placeholder values in one language: a `{ ko, en }` pair becomes the reader's. */
export function paramsIn(params: unknown, locale: 'ko' | 'en'): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries((params ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
    else if (value && typeof value === 'object' && locale in value) out[key] = String((value as Record<string, unknown>)[locale]);
  }
  return out;
}

export interface NotifyOptions {
  accountId: number;
  /** message-key prefix: `<template>.subject` and `<template>.body` must exist in the catalogue */
  template: string;
  /** values for the message's placeholders; a `{ ko, en }` pair is read in the reader's language */
  params?: NotificationParams;
  /** a path inside Nara the notification points to */
  link?: string;
  /** also send an e-mail (after commit, through the outbox) */
  email?: boolean;
}

const insertNotification = reusableQuery((db, v: { accountId: number; template: string; params: string; link: string | null }) =>
  db.insertInto('notifications').values({ account_id: v.accountId, template: v.template, params: v.params, link: v.link }).returning('id'),
);

/**
 * Puts a notification in the account's inbox and, if asked, queues its e-mail. Call it
 * with the transaction of the change it reports: both commit or neither.
 */
export async function notify(tx: Executor, options: NotifyOptions): Promise<number> {
  const { rows } = await insertNotification(tx, { accountId: options.accountId, template: options.template, params: JSON.stringify(options.params ?? {}), link: options.link ?? null });
  const { id } = rows[0]!;
  if (options.email) await enqueueJob(tx, EMAIL_QUEUE, { notificationId: id }, { dedupeKey: `email:notification:${id}` });
  return id;
}

export interface EmailToOptions {
  to: string;
  locale: 'ko' | 'en';
  /** message-key prefix with `.subject` and `.body` */
  template: string;
  params?: Record<string, string | number>;
}

/**
 * Queues an e-mail to an address, for people who have no account yet (a sign-up code).
 * Like notify(), call it inside the transaction of the change it belongs to.
 */
export async function emailTo(tx: Executor, options: EmailToOptions): Promise<void> {
  await enqueueJob(tx, EMAIL_QUEUE, { to: options.to, locale: options.locale, template: options.template, params: options.params ?? {} });
}
