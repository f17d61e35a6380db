function sortKeys(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** A stable text of the given fields of a document (keys sorted, dates as ISO), to tell an update from a no-op. */
export function fingerprint<T>(doc: T, keys: Array<keyof T>): string {
  return JSON.stringify(keys.map((k) => sortKeys(doc[k] ?? null)));
}

/** Copies only the input fields of a patch, dropping undefined ones. */
export function pickDefined<T extends object>(patch: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
