import { EventEmitter } from 'node:events';

/** The database channel on which every recorded step is announced (payload: the application id). */
export const STEP_CHANNEL = 'nara_application_steps';

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
      stop = await listen(STEP_CHANNEL, (payload) => emitter.emit(payload));
    },
    disconnect(): void {
      stop?.();
      stop = undefined;
    },
    subscribe(applicationId: number, listener: () => void): () => void {
      emitter.on(String(applicationId), listener);
      return () => emitter.off(String(applicationId), listener);
    },
  };
}
export type StepEvents = ReturnType<typeof createStepEvents>;
