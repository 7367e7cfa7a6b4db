import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { EventEmitter } from 'node:events';

/**
 * The database channel on which every change to what an application's page shows is
 * announced (payload: the application id): a step, an official opening it, a document
 * attached or removed, feedback given.
 */
export const STEP_CHANNEL = 'nara_application_steps';

const ANY = Symbol('any application');
// Changes made by this process, heard at once (before the database's announcement arrives):
// a page this instance keeps is dropped before the change's own request has answered.
const local = new EventEmitter();
local.setMaxListeners(0);

type Listen = (channel: string, listener: (payload: string) => void) => Promise<() => void>;

/**
 * Tells open timeline pages that an application has a new step. Steps are announced by the
 * database (`pg_notify` in the step's transaction, delivered at commit), so a page hears of
 * every step — from any instance on PostgreSQL, from the escalation job, from the API.
 */
export function createStepEvents() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let stop: (() => void) | undefined;
  return {
    /** Starts relaying the database's announcements to subscribers. */
    async connect(listen: Listen): Promise<void> {
      stop = await listen(STEP_CHANNEL, (payload) => {
        emitter.emit(payload);
        emitter.emit(ANY, Number(payload));
      });
    },
    disconnect(): void {
      stop?.();
      stop = undefined;
    },
    /** Hears of every application's changes (the page cache). */
    onAny(listener: (applicationId: number) => void): () => void {
      emitter.on(ANY, listener);
      local.on('change', listener);
      return () => {
        emitter.off(ANY, listener);
        local.off('change', listener);
      };
    },
    subscribe(applicationId: number, listener: () => void): () => void {
      emitter.on(String(applicationId), listener);
      return () => emitter.off(String(applicationId), listener);
    },
  };
}
export type StepEvents = ReturnType<typeof createStepEvents>;

/** Announces, when the caller's transaction commits, that an application's page has changed. */
export async function announceChange(db: Executor, applicationId: number): Promise<void> {
  await sql`select pg_notify(${STEP_CHANNEL}, ${String(applicationId)})`.execute(db);
  announceLocally(applicationId);
}

/** The part of announceChange for a caller that has the database announce it in a statement of its own. */
export function announceLocally(applicationId: number): void {
  local.emit('change', applicationId);
}
