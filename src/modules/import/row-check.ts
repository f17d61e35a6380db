import type { CoordSys, LngLat } from '../../shared/geo';
import { serviceAreaProblem } from '../../shared/service-area';
import type { City } from '../../shared/domain';
import { FieldError, FieldIssue, ImportDefinition, Rejection, SourceRow } from './import.types';
import { cellText } from './values';

/** Runs a converter, turning a FieldError into an issue so every bad cell of a row gets reported. */
export function attempt<T>(issues: FieldIssue[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    issues.push({ field: err.field, message: err.message });
    return undefined;
  }
}

/** Drops undefined members so schema defaults apply. */
export const defined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function rowIssues<P, I>(row: SourceRow, def: ImportDefinition<P, I>): { issues: FieldIssue[]; body: unknown } {
  const issues: FieldIssue[] = [];
  const body = def.body(row.values, issues);
  if (row.values.externalId === undefined) issues.push({ field: 'externalId', message: '缺少外部编号 externalId，无法去重' });
  for (const f of def.columns.required) {
    if (row.values[f] === undefined) issues.push({ field: f, message: '必填，不能为空' });
  }
  return { issues, body };
}

const reject = (row: SourceRow, issues: FieldIssue[]): Rejection => ({
  ...row.ref, externalId: cellText(row.values.externalId) ?? null, reason: issues.map((i) => `${i.field}: ${i.message}`).join('；'), fields: issues,
});

/** Validates one row with the JSON API's schema and the city's service area; a WGS-84 input, or the rejection naming every bad column. */
export function checkRow<P extends { location: LngLat }, I extends { city: City; location: LngLat }>(
  row: SourceRow, def: ImportDefinition<P, I>, coordSys: CoordSys,
): { input: I } | Rejection {
  const { issues, body } = rowIssues(row, def);
  const parsed = def.schema.safeParse(body);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = def.columnOf(i.path.map(String));
      if (!issues.some((x) => x.field === field)) issues.push({ field, message: i.message });
    }
  }
  if (issues.length || !parsed.success) return reject(row, issues);
  const input = def.toInput(parsed.data, coordSys);
  const outside = serviceAreaProblem(input.city, input.location, parsed.data.location);
  return outside ? reject(row, [{ field: 'location', message: outside }]) : { input };
}
