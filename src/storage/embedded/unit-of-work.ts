import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './database';

interface Open {
  token: symbol;
  afterCommit: Array<() => void>;
}

/**
 * Transactions that span awaits on the one SQLite connection. Statements of a repository run synchronously, but a
 * unit of work awaits between them, and another request's statement run in that gap would join the open
 * transaction (and be rolled back with it). So while a unit of work is open, every repository call from outside it
 * waits (gate), calls from inside it (tracked with AsyncLocalStorage) go straight through, and units run one at a
 * time. In-memory mirrors register their changes with afterCommit, so a rollback leaves them as they were.
 */
export class UnitOfWork {
  private readonly als = new AsyncLocalStorage<symbol>();
  private open: Open | null = null;
  private tail: Promise<void> = Promise.resolve();
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {}

  /** Whether the caller runs inside the open unit of work. */
  inside(): boolean {
    return this.open !== null && this.als.getStore() === this.open.token;
  }

  /** Whether the caller must wait before touching the database: a unit of work of someone else is open. */
  blocked(): boolean {
    return this.open !== null && !this.inside();
  }

  /** Resolves once no other unit of work is open. The caller must not await anything before its statements. */
  async admit(): Promise<void> {
    while (this.blocked()) await this.idle;
  }

  /**
   * Runs fn now when the connection is free, or once it is, checking again right before: fn's statements run in the
   * same continuation as the check, so no unit that opened in between can take them into its transaction.
   */
  whenFree<T>(fn: () => T): T | Promise<T> {
    if (!this.blocked()) return fn();
    return (async () => {
      while (this.blocked()) await this.idle;
      return fn();
    })();
  }

  /** Runs apply once the open unit of work commits (dropped if it rolls back); at once when none is open. */
  afterCommit(apply: () => void): void {
    if (this.open && this.inside()) this.open.afterCommit.push(apply);
    else apply();
  }

  /** Runs fn in one transaction: everything it writes commits together or not at all. Nested calls join. */
  async atomically<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside()) return fn();
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    await previous;
    const open: Open = { token: Symbol('unit-of-work'), afterCommit: [] };
    let done!: () => void;
    this.idle = new Promise<void>((r) => (done = r));
    this.open = open;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      const result = await this.als.run(open.token, fn);
      this.db.exec('COMMIT');
      this.open = null;
      for (const apply of open.afterCommit) apply();
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.open = null;
      done();
      release();
    }
  }

  /** The repository with every method gated: outside callers wait while a unit of work is open. */
  gate<R extends object>(repo: R): R {
    const gated: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(repo)) {
      if (typeof value !== 'function') {
        gated[key] = value;
        continue;
      }
      const fn = value as (...args: unknown[]) => unknown;
      gated[key] = (...args: unknown[]) => this.whenFree(() => fn(...args));
    }
    return gated as R;
  }
}

const units = new WeakMap<Db, UnitOfWork>();

/** The one unit-of-work coordinator of a database connection. */
export function unitOfWork(db: Db): UnitOfWork {
  let u = units.get(db);
  if (!u) units.set(db, (u = new UnitOfWork(db)));
  return u;
}
