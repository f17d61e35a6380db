import type { FeatureStore } from '../../../feature';
import type { FilesStorage } from '../files.types';
import { createEmbeddedFileStore, FILES_EMBEDDED_MIGRATIONS } from './embedded';
import { createMongoFileStore } from './mongo';

/** Files in either driver: bytes under DATA_DIR/files with a row each in SQLite, or the GridFS bucket 'files'. */
export const filesStore: FeatureStore<FilesStorage> = {
  embedded: {
    migrations: FILES_EMBEDDED_MIGRATIONS,
    open: (db) => ({ files: createEmbeddedFileStore(db) }),
  },
  mongo: { open: async (conn) => ({ files: await createMongoFileStore(conn) }) },
};
