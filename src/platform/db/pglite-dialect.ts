import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** The part of PGlite the Kysely dialect uses, wherever PGlite runs. */
export interface PGliteSession {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number | undefined }>;
  exec(sql: string): Promise<Array<{ rows: unknown[]; affectedRows?: number | undefined }>>;
}

/**
 * Kysely over PGlite. PGlite is one Postgres backend with one session, so the driver
 * hands out that single connection to one user at a time: a transaction holds it until
 * commit or rollback, and every other query waits its turn, as with a pool of size one.
 */
export class PGliteDialect implements Dialect {
  private pipelined: PipelinedPGliteDriver | undefined;
  /** `onThisThread`: PGlite executes on the caller's thread (see releaseConnection). */
  constructor(
    private readonly pglite: PGliteSession,
    private readonly onThisThread = true,
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    if (this.onThisThread) return new PGliteDriver(this.pglite);
    this.pipelined = new PipelinedPGliteDriver(this.pglite);
    return this.pipelined;
  }
  /**
   * PGlite on its own thread: runs `work` (which sends one request that runs a whole
   * transaction on the database's thread) once no transaction of this side's is open, so
   * that it does not land inside one. The database's thread runs requests one at a time in
   * order, so queries sent meanwhile wait there for it, not here.
   */
  outsideTransactions<T>(work: () => Promise<T>): Promise<T> {
    if (!this.pipelined) throw new Error('outsideTransactions: only for PGlite on a thread of its own, once Kysely has its driver');
    return this.pipelined.outsideTransactions(work);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGliteSession) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters use the simple protocol, which (as on PostgreSQL) accepts a script
    // of several statements; migrations rely on that.
    const result =
      compiled.parameters.length === 0
        ? ((await this.pglite.exec(compiled.sql)).at(-1) ?? { rows: [], affectedRows: 0, fields: [] })
        : await this.pglite.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      ...(affected !== undefined && !/^\s*select/i.test(compiled.sql) ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not stream query results');
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  constructor(pglite: PGliteSession) {
    this.connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.release = release;
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    // PGlite runs on this thread: handing the connection straight to the next waiter
    // would chain a whole backlog of queries without ever letting the event loop read a
    // request (a health check stalled for seconds in the login-storm benchmark).
    // Handing it over on the next turn serves pending I/O between queries.
    if (release) setImmediate(release);
  }

  async destroy(): Promise<void> {}
}

/**
 * PGlite on a thread of its own executes what it receives in order, so queries need not
 * wait for each other's round trip: each is sent at once and the thread works through
 * them back to back. Only a transaction needs the session to itself: while one is open,
 * every other query waits for its end, and transactions take turns.
 */
class PipelinedPGliteDriver implements Driver {
  /** resolves when the open transaction (if any) ends */
  private transactionDone: Promise<void> | undefined;
  private endTransaction: (() => void) | undefined;
  /** the connection whose transaction is open */
  private owner: object | undefined;
  private turns: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGliteSession) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PipelinedConnection(this.pglite, this);
  }

  /** Waits until no other caller's transaction is open. */
  async clear(owner: object): Promise<void> {
    while (this.transactionDone && this.owner !== owner) await this.transactionDone;
  }

  /** Waits for this owner's turn among transactions, then holds the session for it until `end`. */
  private async takeTurn(owner: object): Promise<void> {
    const previous = this.turns;
    let done!: () => void;
    this.turns = new Promise<void>((resolve) => (done = resolve));
    await previous;
    await this.clear(owner);
    this.owner = owner;
    this.transactionDone = new Promise<void>((resolve) => (this.endTransaction = () => {
      this.owner = undefined;
      this.transactionDone = undefined;
      this.endTransaction = undefined;
      resolve();
      done();
    }));
  }

  async outsideTransactions<T>(work: () => Promise<T>): Promise<T> {
    await this.clear({});
    return work();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const mine = connection as PipelinedConnection;
    await this.takeTurn(mine);
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    try {
      await mine.executeQuery(CompiledQuery.raw(`begin${isolation}`));
    } catch (error) {
      this.end(mine);
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      this.end(connection);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.end(connection);
    }
  }

  /** Ends the open transaction if it is this connection's (a failed commit is followed by a rollback). */
  private end(owner: object) {
    if (this.owner === owner) this.endTransaction?.();
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}

class PipelinedConnection extends PGliteConnection {
  constructor(
    pglite: PGliteSession,
    private readonly driver: PipelinedPGliteDriver,
  ) {
    super(pglite);
  }

  override async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    await this.driver.clear(this);
    return super.executeQuery<R>(compiled);
  }
}
