import type { CoordSys, LngLat } from '../../shared/geo';
import type { Clock } from '../../shared/time';
import { CITY_NAMES, City, UpsertReport } from '../../shared/domain';
import type { ImportDefinition, ImportKind, ImportReport, ParsedUpload, Rejection, RowRef, SourceRow } from './import.types';
import { checkRow } from './row-check';
import { cellText } from './values';

export interface ImportOptions {
  coordSys: CoordSys;
  dryRun: boolean;
  /** Only rows of this city are accepted: an administrator imports for their own city. */
  city?: City;
  /** Wraps the one write (e.g. with its audit entry in one transaction); validation and lookups run before it. */
  writeWith?: (write: () => Promise<WriteCounts>, before: { total: number; rejected: number }) => Promise<WriteCounts>;
}

export type WriteCounts = Pick<UpsertReport, 'inserted' | 'updated' | 'unchanged'>;

const where = (ref: RowRef): string => ('line' in ref ? `第 ${ref.line} 行` : `第 ${ref.feature} 个要素`);
const order = (r: RowRef): number => ('line' in r ? r.line : r.feature);

/** Splits rows into WGS-84 inputs and rejections; a repeated externalId loses to its first row. */
export function sortRows<P extends { location: LngLat }, I extends { city: City; location: LngLat }>(
  rows: SourceRow[], def: ImportDefinition<P, I>, coordSys: CoordSys, city?: City,
) {
  const goods: Array<{ input: I; ref: RowRef; externalId: string | null }> = [];
  const rejected: Rejection[] = [];
  const seen = new Map<string, RowRef>();
  for (const row of rows) {
    const externalId = cellText(row.values.externalId);
    const first = externalId === undefined ? undefined : seen.get(externalId);
    if (externalId !== undefined && first) {
      rejected.push({ ...row.ref, externalId, reason: `外部编号重复：与${where(first)}相同（以先出现的为准）` });
      continue;
    }
    if (externalId !== undefined) seen.set(externalId, row.ref);
    const result = checkRow(row, def, coordSys);
    if (!('input' in result)) rejected.push(result);
    else if (city && result.input.city !== city) {
      rejected.push({ ...row.ref, externalId: externalId ?? null, reason: `不属于本市（${CITY_NAMES[city]}）的数据不能导入`, fields: [{ field: 'city', message: `只能导入${CITY_NAMES[city]}的数据` }] });
    } else goods.push({ input: result.input, ref: row.ref, externalId: externalId ?? null });
  }
  return { goods, rejected };
}

/** Bulk import for administrators: every good row goes to the repository in one all-or-nothing upsert. */
export function createImportService({ clock }: { clock: Clock }) {
  /** An external id already used in another city must not let this import take that object over. */
  async function keepOwnCity<I extends { city: City }>(
    goods: Array<{ input: I; ref: RowRef; externalId: string | null }>, lookup: (externalId: string) => Promise<{ city: City } | null>,
  ) {
    const kept: I[] = [];
    const rejected: Rejection[] = [];
    for (const g of goods) {
      const existing = g.externalId ? await lookup(g.externalId) : null;
      if (existing && existing.city !== g.input.city) {
        rejected.push({ ...g.ref, externalId: g.externalId, reason: `外部编号已被${CITY_NAMES[existing.city]}的数据使用`, fields: [{ field: 'externalId', message: `已被${CITY_NAMES[existing.city]}的数据使用` }] });
      } else kept.push(g.input);
    }
    return { kept, rejected };
  }

  async function run<P extends { location: LngLat }, I extends { city: City; location: LngLat }>(
    def: ImportDefinition<P, I>, repo: { upsertMany(items: I[], now: Date): Promise<UpsertReport>; getByExternalId(id: string): Promise<{ city: City } | null> },
    upload: ParsedUpload, opts: ImportOptions,
  ) {
    const sorted = sortRows(upload.rows, def, opts.coordSys, opts.city);
    const { kept: goods, rejected: taken } = await keepOwnCity(sorted.goods, (id) => repo.getByExternalId(id));
    const rejected = [...sorted.rejected, ...taken];
    const total = upload.rows.length + upload.rejected.length;
    const write = () => repo.upsertMany(goods, clock.now());
    const wrap = opts.writeWith ?? ((w: () => Promise<WriteCounts>) => w());
    const counts = !opts.dryRun && goods.length > 0
      ? await wrap(write, { total, rejected: upload.rejected.length + rejected.length })
      : { inserted: 0, updated: 0, unchanged: 0 };
    return {
      dryRun: opts.dryRun,
      total,
      accepted: goods.length,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      rejected: [...upload.rejected, ...rejected].sort((a, b) => order(a) - order(b)),
      ignoredColumns: upload.ignoredColumns,
    };
  }

  return {
    async importRows(spec: ImportKind, upload: ParsedUpload, opts: ImportOptions): Promise<ImportReport> {
      return { kind: spec.kind, ...(await run(spec.definition, spec.repository, upload, opts)) };
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
