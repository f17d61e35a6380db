/** A Map that forgets its least recently used entries beyond `max`. */
export interface Lru<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  has(key: K): boolean;
  readonly size: number;
}

/** Creates a bounded LRU map; Map keeps insertion order, so re-inserting on use keeps the oldest first. */
export function createLru<K, V>(max: number): Lru<K, V> {
  if (!Number.isInteger(max) || max < 1) throw new Error(`createLru: max must be a positive integer, got ${max}`);
  const map = new Map<K, V>();
  return {
    get(key) {
      if (!map.has(key)) return undefined;
      const value = map.get(key) as V;
      map.delete(key);
      map.set(key, value);
      return value;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      if (map.size > max) map.delete(map.keys().next().value as K);
    },
    has: (key) => map.has(key),
    get size() {
      return map.size;
    },
  };
}
