import { isSealed, type LngLat } from '../../shared/geo';
import type { Located } from '../../shared/domain';

interface Versioned {
  id: string;
  location: LngLat;
  updatedAt: Date;
}

interface Kept {
  id: string;
  updatedAt: number;
  key: string;
  /** The entry's JSON without distanceM and without its closing brace. */
  head: string;
}

/**
 * A nearby list's entries as JSON, each document's rendered once per stored version and key, then reused.
 *
 * Rendering a list entry (coordinates converted, opening hours evaluated) and serialising it were over half of a
 * nearby request's own CPU time, and a rider's list is made of the same few documents over and over. An entry
 * depends only on the stored document and a few facts of the request, which `key` names (the coordinate system,
 * the minute, whether occupancy is still fresh): what changes with neither is rendered once.
 *
 * The stored version is the document's sealed location: the embedded mirror seals a new one for every version it
 * stores (GeoTable) and shares it with every copy it hands out, so after a write the next read misses. The id and
 * updatedAt are checked as well. Documents without a sealed location (the mongo driver makes new ones on every
 * read) are rendered every time. distanceM differs per request, so it is the entry's last field, appended here.
 */
export function listEntries<Doc extends Versioned, V>(
  render: (doc: Located<Doc>, v: V) => unknown,
  key: (doc: Doc, v: V) => string,
): (doc: Located<Doc>, v: V) => string {
  const kept = new WeakMap<LngLat, Kept>();
  const headOf = (doc: Located<Doc>, v: V): string => {
    const json = JSON.stringify(render({ ...doc, distanceM: undefined } as unknown as Located<Doc>, v));
    if (!json.endsWith('}') || json.length < 3) throw new Error('a list entry must render as a non-empty JSON object');
    return json.slice(0, -1);
  };
  return (doc, v) => {
    const k = key(doc, v);
    const updatedAt = doc.updatedAt.getTime();
    let e = isSealed(doc.location) ? kept.get(doc.location) : undefined;
    if (!e || e.key !== k || e.id !== doc.id || e.updatedAt !== updatedAt) {
      e = { id: doc.id, updatedAt, key: k, head: headOf(doc, v) };
      if (isSealed(doc.location)) kept.set(doc.location, e);
    }
    return `${e.head},"distanceM":${Math.round(doc.distanceM)}}`;
  };
}
