import { isSealed, type LngLat } from '../../shared/geo';
import type { Located } from '../../shared/domain';
import type { ViewContext } from '../../shared/view';

interface Versioned {
  id: string;
  location: LngLat;
  updatedAt: Date;
}

interface Kept {
  id: string;
  updatedAt: number;
  /** Per key, the entry's JSON without distanceM and without its closing brace. */
  heads: Map<string, string>;
}

const minuteOf = (v: ViewContext): number => Math.floor(v.now.getTime() / 60_000);

/**
 * A nearby list's entries as JSON, each document's rendered once per stored version, minute and key, then reused.
 *
 * Rendering a list entry (coordinates converted, opening hours evaluated) and serialising it were over half of a
 * nearby request's own CPU time, and riders' lists are made of the same documents over and over. An entry depends
 * only on the stored document, the minute (open now, today's hours) and what `key` names (the coordinate system,
 * whether occupancy is still fresh). Entries are kept for the minute they were rendered in: a new minute starts
 * afresh, so what is held is at most the documents listed within one minute, a few keys each.
 *
 * The stored version is the document's sealed location: the embedded mirror seals a new one for every version it
 * stores (GeoTable) and shares it with every copy it hands out, so after a write the next read misses. The id and
 * updatedAt are checked as well. Documents without a sealed location (the mongo driver makes new ones on every
 * read) are rendered every time. distanceM differs per request, so it is the entry's last field, appended here.
 */
export function listEntries<Doc extends Versioned>(
  render: (doc: Located<Doc>, v: ViewContext) => unknown,
  key: (doc: Doc, v: ViewContext) => string,
): (doc: Located<Doc>, v: ViewContext) => string {
  let minute = Number.NaN;
  let kept = new WeakMap<LngLat, Kept>();
  const headOf = (doc: Located<Doc>, v: ViewContext): string => {
    const json = JSON.stringify(render({ ...doc, distanceM: undefined } as unknown as Located<Doc>, v));
    if (!json.endsWith('}') || json.length < 3) throw new Error('a list entry must render as a non-empty JSON object');
    return json.slice(0, -1);
  };
  const headFor = (doc: Located<Doc>, v: ViewContext): string => {
    if (!isSealed(doc.location)) return headOf(doc, v);
    if (minuteOf(v) !== minute) {
      minute = minuteOf(v);
      kept = new WeakMap();
    }
    const k = key(doc, v);
    const updatedAt = doc.updatedAt.getTime();
    let e = kept.get(doc.location);
    if (!e || e.id !== doc.id || e.updatedAt !== updatedAt) kept.set(doc.location, (e = { id: doc.id, updatedAt, heads: new Map() }));
    let head = e.heads.get(k);
    if (head === undefined) e.heads.set(k, (head = headOf(doc, v)));
    return head;
  };
  // JSON.stringify: a distance that is not finite is null, as it was in the object the entry stands for.
  return (doc, v) => `${headFor(doc, v)},"distanceM":${JSON.stringify(Math.round(doc.distanceM))}}`;
}
