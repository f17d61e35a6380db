import { ObjectId } from 'bson';

/** Ids are ObjectId hex strings in both drivers, so data moves between them unchanged. */
export function newId(): string {
  return new ObjectId().toHexString();
}

export const ID_PATTERN = /^[0-9a-f]{24}$/;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}
