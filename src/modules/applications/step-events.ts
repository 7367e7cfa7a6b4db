import { EventEmitter } from 'node:events';

/**
 * Tells open timeline pages that an application has a new step. In-process: a page
 * served by one instance hears about steps recorded by that instance. (Across instances
 * on PostgreSQL this would ride on LISTEN/NOTIFY; the page's reload link and the next
 * page load are always correct without it.)
 */
export function createStepEvents() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(applicationId: number): void {
      emitter.emit(String(applicationId));
    },
    subscribe(applicationId: number, listener: () => void): () => void {
      emitter.on(String(applicationId), listener);
      return () => emitter.off(String(applicationId), listener);
    },
  };
}
export type StepEvents = ReturnType<typeof createStepEvents>;
