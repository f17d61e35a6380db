import { randomBytes } from 'node:crypto';
import { ObjectId } from 'bson';

/** Ids are ObjectId hex strings in both drivers, so data moves between them unchanged. */
export function newId(): string {
  return new ObjectId().toHexString();
}

/**
 * An id that is also a secret handle (sessions): 12 random bytes in ObjectId form, so it cannot be guessed from
 * another id or counted, yet still fits the ObjectId `_id` of the mongo driver.
 */
export function newUnguessableId(): string {
  return new ObjectId(randomBytes(12)).toHexString();
}

export const ID_PATTERN = /^[0-9a-f]{24}$/;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}
