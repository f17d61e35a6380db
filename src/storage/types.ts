/** What every driver provides besides the features' repositories. */
export interface StorageBase {
  readonly driver: 'embedded' | 'mongo';
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
