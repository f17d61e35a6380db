import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { importDoc } from './import.openapi';
import type { Context } from 'koa';
import type { FeatureContext } from '../../feature';
import { authorize } from './import.policy';
import { parseJson, readRaw } from '../../shared/body';
import { UnsupportedMediaTypeError, ValidationError } from '../../shared/errors';
import { queryBool, validateQuery } from '../../shared/validate';
import { coordSysQuery } from '../nearby/resource-routes';
import type { ColumnSpec } from './columns';
import { decodeUtf8, parseCsv } from './csv';
import { parseGeoJson } from './geojson';
import { createImportService, type ImportOptions, type WriteCounts } from './import.service';
import type { ParsedUpload } from './import.types';
import type { AuditEvent } from '../identity/audit';
import { actorOf } from '../identity/actor';

const importQuery = coordSysQuery.extend({ dryRun: queryBool().default(false) });
const CSV_TYPES = ['text/csv'];
const GEOJSON_TYPES = ['application/geo+json', 'application/json', 'application/vnd.geo+json'];

async function readUpload(ctx: Context, columns: ColumnSpec, limitBytes: number): Promise<ParsedUpload> {
  const type = ctx.request.type.trim().toLowerCase();
  if (!CSV_TYPES.includes(type) && !GEOJSON_TYPES.includes(type)) {
    throw new UnsupportedMediaTypeError([...CSV_TYPES, 'application/geo+json']);
  }
  const bytes = await readRaw(ctx, limitBytes);
  if (bytes.length === 0) throw new ValidationError('请求体为空：请上传 CSV 或 GeoJSON 文件');
  const text = decodeUtf8(bytes);
  return CSV_TYPES.includes(type) ? parseCsv(text, columns) : parseGeoJson(parseJson(text), columns);
}

/** POST /api/v1/admin/import/{stations,merchants}: CSV or GeoJSON bulk upsert by externalId, for a city's administrators. */
export function importRoutes(deps: FeatureContext): Router {
  const router = new Router({ prefix: '/api/v1/admin/import' });
  const service = createImportService(deps);
  for (const spec of deps.importKinds) {
    const { kind } = spec;
    route(router, importDoc(kind, spec.definition.columns, importQuery), async (ctx) => {
      const p = authorize(ctx.state.principal, 'import.run', { city: ctx.state.principal?.city ?? null });
      const { coordSys, dryRun } = validateQuery(importQuery, ctx.query);
      const upload = await readUpload(ctx, spec.definition.columns, deps.config.importLimitBytes);
      const event = (c: WriteCounts, before: { total: number; rejected: number }): AuditEvent => ({
        action: `import.${kind}`, objectType: spec.objectType, objectId: null, city: p.city,
        summary: { total: before.total, inserted: c.inserted, updated: c.updated, unchanged: c.unchanged, rejected: before.rejected },
      });
      // Rows are validated and looked up first; only the write and its audit entry run in one transaction, so other
      // requests wait for the write alone. MongoDB runs its own chunked bulk write (one bounded transaction where
      // there are transactions) and the entry follows it.
      const actor = actorOf(ctx);
      const writeWith: ImportOptions['writeWith'] = deps.storage.driver === 'embedded'
        ? (write, before) => deps.identity.audit.within(actor, write, (c) => event(c, before))
        : async (write, before) => {
          const c = await write();
          await deps.identity.audit.record(actor, event(c, before));
          return c;
        };
      const report = await service.importRows(spec, upload, { coordSys, dryRun, city: p.city ?? undefined, writeWith });
      const { total, accepted, inserted, updated, unchanged } = report;
      ctx.state.log.info(
        { module: 'import', kind, coordSys, dryRun, total, accepted, inserted, updated, unchanged, rejected: report.rejected.length },
        'import finished',
      );
      ctx.body = { data: report };
    });
  }
  return router;
}
