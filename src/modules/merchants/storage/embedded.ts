import { merchantFingerprint } from './fingerprint';
import { newId } from '../../../storage/ids';
import type { Merchant, MerchantInput, MerchantNearbyQuery, MerchantRepository } from '../merchants.types';
import type { Db } from '../../../storage/embedded/database';
import { createGeoRepository } from '../../../storage/embedded/geo-repository';
import { sealHours } from '../../../shared/hours';

const date = (v: unknown): Date | null => (v ? new Date(v as string) : null);

function revive(raw: Record<string, unknown>): Merchant {
  const m = raw as unknown as Merchant;
  return { ...m, validFrom: date(m.validFrom), validTo: date(m.validTo), createdAt: new Date(m.createdAt), updatedAt: new Date(m.updatedAt) };
}

/** The nearby filters as one predicate: active, discount valid at the time, city and category. */
function merchantFilter(q: MerchantNearbyQuery): (m: Merchant) => boolean {
  const at = q.validAt.getTime();
  return (m) =>
    m.status === 'active' &&
    (!m.validFrom || m.validFrom.getTime() <= at) &&
    (!m.validTo || m.validTo.getTime() >= at) &&
    (!q.city || m.city === q.city) &&
    (!q.category || m.category === q.category);
}

/** 暖新商户 in the embedded store. */
export function createEmbeddedMerchants(db: Db): MerchantRepository {
  const { patch: _patch, ...repo } = createGeoRepository<MerchantInput, Merchant, MerchantNearbyQuery>(db, {
    table: 'merchants',
    revive,
    seal: (d) => sealHours(d.hours),
    build: (input, now) => ({ ...input, id: newId(), createdAt: now, updatedAt: now }),
    fingerprint: merchantFingerprint,
    filter: merchantFilter,
  });
  return repo;
}
