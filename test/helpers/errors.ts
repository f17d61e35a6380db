import { AppError } from '../../src/shared/errors';

/** The AppError fn throws; fails the test when it throws nothing (other errors pass through). */
export function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an error');
}
