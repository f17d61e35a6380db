import type { z } from 'zod';
import type { StationInput } from '../stations/stations.types';
import { stationInputSchema } from '../stations/stations.schema';
import { toInput } from '../stations/stations.service';
import { STATION_COLUMNS } from './columns';
import { parseHoursText } from './hours-text';
import type { FieldIssue } from './import.types';
import { attempt, defined, ImportDefinition } from './row-check';
import { cellText, lookup, placeCells, toAmenities, toNumber } from './values';

const STATUSES: Record<string, string> = {
  open: 'open', 开放: 'open', temporarily_closed: 'temporarily_closed', 暂停开放: 'temporarily_closed', closed: 'closed', 关闭: 'closed',
};

const PATH_COLUMNS: Record<string, string> = {
  'location.lng': 'lng', 'location.lat': 'lat', 'operator.name': 'operatorName', 'operator.phone': 'operatorPhone',
};

function stationBody(v: Record<string, unknown>, issues: FieldIssue[]): Record<string, unknown> {
  const num = (f: string) => attempt(issues, () => toNumber(f, v[f]));
  const operator = defined({ name: cellText(v.operatorName), phone: cellText(v.operatorPhone) });
  return defined({
    ...placeCells(v, num),
    hours: attempt(issues, () => parseHoursText(v.hours)),
    amenities: v.amenities === undefined ? [] : attempt(issues, () => toAmenities(v.amenities)),
    capacity: num('capacity'),
    operator: Object.keys(operator).length ? operator : undefined,
    status: lookup(STATUSES, v.status),
    statusNote: cellText(v.statusNote),
  });
}

/** CSV/GeoJSON rows → StationInput, through the same schema as POST /api/v1/stations. */
export const stationImport: ImportDefinition<z.output<typeof stationInputSchema>, StationInput> = {
  columns: STATION_COLUMNS,
  body: stationBody,
  schema: stationInputSchema,
  toInput,
  columnOf: ([a = '(row)', b]) => PATH_COLUMNS[`${a}.${b}`] ?? a,
};
