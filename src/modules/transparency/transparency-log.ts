import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { advanceLog, type AdvanceOptions, type Advanced } from './advance-log.ts';
import { createLogSigner, type LogSigner } from './log-key.ts';
import { backfillLog } from './backfill-log.ts';
import type { RecordSource } from './audit-log.ts';

export interface TransparencyLog {
  signer: LogSigner;
  /** place waiting entries and sign a head if due, now */
  advance(options?: AdvanceOptions): Promise<Advanced>;
  /** at start-up: take in the records that existed before the log, then advance */
  open(): Promise<void>;
  /** advance every `intervalMs` until stopped */
  start(): void;
  stop(): Promise<void>;
}

export interface TransparencyLogOptions {
  db: Db;
  encryption: FieldEncryption;
  intervalMs: number;
  log: FastifyBaseLogger;
  /** the modules' records that belong in the log */
  sources: readonly RecordSource[];
}

/** The log's sequencer and signer, run on a timer by every instance (one at a time does the work). */
export function createTransparencyLog({ db, encryption, intervalMs, log, sources }: TransparencyLogOptions): TransparencyLog {
  const signer = createLogSigner(db, encryption);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const advance = (options?: AdvanceOptions) => advanceLog(db, signer, options);
  const tick = () => {
    running = advance().catch((err: unknown) => log.warn({ err }, 'transparency log: could not advance; will retry'));
  };
  return {
    signer,
    advance,
    async open() {
      const added = await backfillLog(db, sources);
      if (added > 0) log.info({ added }, 'transparency log: took in the records that existed before it');
      await advance();
    },
    start() {
      if (timer) return;
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
