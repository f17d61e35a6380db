import type { UpsertReport } from '../../shared/domain';
import { assertDistinctExternalIds } from '../limits';

interface UpsertOps<Input, Doc extends { id: string }> {
  transaction<R>(fn: () => R): R;
  findByExternalId(externalId: string): Doc | null;
  fingerprint(input: Input): string;
  insert(input: Input): Doc;
  replace(current: Doc, input: Input): string;
}

/** Matches by externalId inside one transaction: a failure leaves nothing written; a repeated externalId is a 409. */
export function upsertAll<Input extends { externalId: string | null }, Doc extends Input & { id: string }>(
  items: Input[], ops: UpsertOps<Input, Doc>,
): UpsertReport {
  assertDistinctExternalIds(items);
  return ops.transaction(() => {
    const report: UpsertReport = { inserted: 0, updated: 0, unchanged: 0, ids: [] };
    for (const input of items) {
      const current = input.externalId ? ops.findByExternalId(input.externalId) : null;
      if (!current) {
        report.ids.push(ops.insert(input).id);
        report.inserted++;
      } else if (ops.fingerprint(current) === ops.fingerprint(input)) {
        report.ids.push(current.id);
        report.unchanged++;
      } else {
        report.ids.push(ops.replace(current, input));
        report.updated++;
      }
    }
    return report;
  });
}
