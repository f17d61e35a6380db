import type { Clock } from '../../shared/time';
import type { Db } from './database';

/** A periodic clean-up of one database (e.g. deleting expired rows); returns how many rows it removed. */
export type Chore = (now: Date) => number;

export const HOUSEKEEPING_INTERVAL_MS = 3_600_000;

// Keyed by the database, so each table registers its own chore and the driver never needs to know which.
const chores = new WeakMap<Db, Chore[]>();

/** Registers a chore for this database; the driver runs every chore at open and then hourly. */
export function addChore(db: Db, chore: Chore): void {
  const list = chores.get(db) ?? [];
  list.push(chore);
  chores.set(db, list);
}

export interface HousekeepingOptions {
  intervalMs?: number;
  /** Runs fn once the connection is free, in the same continuation as that check (UnitOfWork.whenFree): a timer
   *  round must not join another request's open unit of work. */
  whenFree?: (fn: () => void) => void | Promise<void>;
  /** Told about a failed round (SQLITE_BUSY and the like); the next round tries again. */
  onError?: (err: unknown) => void;
}

export interface Housekeeping {
  /** Runs every chore once, now; returns the rows removed. */
  runNow(): number;
  stop(): void;
}

/** Runs the chores at once, then every intervalMs on an unref'd timer (it never keeps the process alive). */
export function startHousekeeping(db: Db, clock: Clock, opts: HousekeepingOptions = {}): Housekeeping {
  const { intervalMs = HOUSEKEEPING_INTERVAL_MS, whenFree = (fn: () => void) => fn(), onError = () => undefined } = opts;
  let stopped = false;
  const runNow = (): number => (chores.get(db) ?? []).reduce((n, chore) => n + chore(clock.now()), 0);
  runNow();
  const timer = setInterval(() => {
    Promise.resolve()
      .then(() => whenFree(() => {
        if (!stopped && db.open) runNow();
      }))
      .catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    runNow,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
