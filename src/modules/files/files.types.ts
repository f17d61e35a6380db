/** A stored file as it comes back: its bytes and the content type it was put with. */
export interface StoredFile {
  data: Buffer;
  contentType: string;
}

/**
 * Files by key, in either driver (a directory under DATA_DIR, or GridFS). Keys are built by code, never taken from
 * a request as they are: 'hazards/<reportId>/1.jpg'. A put replaces the file of its key whole; a reader sees the
 * old bytes or the new ones, never part of either. Calls are not part of storage.atomically on either driver: write
 * files before the unit of work that refers to them, and delete them if it fails.
 */
export interface FileStore {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredFile | null>;
  /** Removes the file of the key; a key with no file is no error. */
  delete(key: string): Promise<void>;
}

/** What the files feature keeps in storage. */
export interface FilesStorage {
  readonly files: FileStore;
}

// Folders of [a-z0-9_-], then a file name of [a-z0-9_.-] that ends in an extension and starts with no '.': so a
// folder never has a file's name (both drivers can hold 'a/b.jpg' and 'a/b/c.jpg'), there is no '.', '..' or
// hidden segment (the embedded driver keeps its temp files in one), no empty segment, no leading or trailing '/'.
const KEY = /^(?:[a-z0-9_-]+\/)*[a-z0-9_-][a-z0-9_.-]*\.[a-z0-9]+$/;
const KEY_MAX = 200;
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** A key or content type that code built wrongly: a bug of the caller (500), never something a user sent. */
export class FileArgumentError extends Error {}

/** Returns the key if it is a valid file key, or throws FileArgumentError naming it. */
export function checkFileKey(key: string): string {
  if (typeof key !== 'string' || key.length > KEY_MAX || !KEY.test(key) || key.includes('..')) {
    throw new FileArgumentError(`invalid file key ${JSON.stringify(key)}: folders of [a-z0-9_-] and a file name of [a-z0-9_.-] with an extension, no '..', at most ${KEY_MAX} characters`);
  }
  return key;
}

/** Returns the content type if it is a plain lowercase type/subtype (no parameters), or throws. */
export function checkContentType(contentType: string): string {
  if (typeof contentType !== 'string' || contentType.length > 100 || !CONTENT_TYPE.test(contentType)) {
    throw new FileArgumentError(`invalid content type ${JSON.stringify(contentType)}: expected a lowercase type/subtype such as image/jpeg`);
  }
  return contentType;
}
