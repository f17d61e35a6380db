import type { Feature } from '../../feature';
import type { FilesStorage } from './files.types';
import { filesStore } from './storage';

/**
 * File storage (hazard report photos): a FileStore by key on either driver. It has no routes of its own; features
 * serve their files through their own routes and policies (photos.ts and photo-store.ts re-encode and store them).
 */
export const filesFeature: Feature<FilesStorage> = {
  name: 'files',
  store: filesStore,
};
