import type { z } from 'zod';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { CoordSys, fromWgs84, toWgs84 } from '../../shared/geo';
import { isOpenAt } from '../../shared/hours';
import { assertInServiceArea } from '../../shared/service-area';
import { Clock, localTime } from '../../shared/time';
import { isId } from '../../storage/ids';
import type { Located } from '../../shared/domain';
import type { Merchant, MerchantInput } from './merchants.types';
import type { MerchantsStorage } from './merchants.types';
import { Center, collectNearby } from '../nearby/nearby';
import type { merchantInputSchema, merchantNearbySchema, merchantPatchSchema } from './merchants.schema';

export type MerchantNearbyParams = z.output<typeof merchantNearbySchema>;
type ParsedInput = z.output<typeof merchantInputSchema>;
type ParsedPatch = z.output<typeof merchantPatchSchema>;

/** Domain rules for 暖新商户: only discounts valid now are found nearby. */
export function createMerchantService({ storage, clock }: { storage: MerchantsStorage; clock: Clock }) {
  const repo = storage.merchants;
  const missing = (id: string) => new NotFoundError(`商户 ${id} 不存在`, { field: 'id' });

  async function mustGet(id: string): Promise<Merchant> {
    const m = isId(id) ? await repo.get(id) : null;
    if (!m) throw missing(id);
    return m;
  }

  return {
    async nearby(q: MerchantNearbyParams, c: Center): Promise<Array<Located<Merchant>>> {
      const now = clock.now();
      const t = localTime(now);
      return collectNearby(
        (limit) => repo.nearby({ center: c.center, radiusM: c.radiusM, limit, category: q.category, city: q.city, validAt: now }),
        (m) => !q.openNow || isOpenAt(m.hours, t),
        q.limit,
      );
    },
    get: mustGet,
    async create(input: ParsedInput, coordSys: CoordSys): Promise<Merchant> {
      const merchant = toMerchantInput(input, coordSys);
      assertInServiceArea(merchant.city, merchant.location, input.location);
      return repo.create(merchant, clock.now());
    },
    async update(id: string, patch: ParsedPatch, coordSys: CoordSys): Promise<Merchant> {
      const current = await mustGet(id);
      const next = { ...patch, location: patch.location ? toWgs84(patch.location, coordSys) : undefined };
      // A new city or a new location must still agree with the other one.
      if (next.city || next.location) {
        const location = next.location ?? current.location;
        assertInServiceArea(next.city ?? current.city, location, patch.location ?? fromWgs84(location, coordSys));
      }
      const from = next.validFrom === undefined ? current.validFrom : next.validFrom;
      const to = next.validTo === undefined ? current.validTo : next.validTo;
      if (from && to && from > to) {
        throw new ValidationError('validTo 不能早于 validFrom', [{ field: 'validTo', message: '不能早于 validFrom' }], 422);
      }
      const updated = await repo.update(id, next, clock.now());
      if (!updated) throw missing(id);
      return updated;
    },
    async remove(id: string): Promise<void> {
      if (!isId(id) || !(await repo.delete(id))) throw missing(id);
    },
  };
}

/** Converts a validated request body to a WGS-84 MerchantInput. */
export function toMerchantInput(input: ParsedInput, coordSys: CoordSys): MerchantInput {
  return { ...input, location: toWgs84(input.location, coordSys), isDemo: false } as MerchantInput;
}
