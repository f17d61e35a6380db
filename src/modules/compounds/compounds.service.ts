import type { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import { CoordSys, haversineM, toWgs84 } from '../../shared/geo';
import { assertInServiceArea } from '../../shared/service-area';
import type { Clock } from '../../shared/time';
import { isId } from '../../storage/ids';
import type { City, Located } from '../../shared/domain';
import type { Center } from '../nearby/nearby';
import type { Compound, CompoundInput, CompoundsStorage, Gate } from './compounds.types';
import type { compoundInputSchema, compoundNearbySchema, compoundPatchSchema } from './compounds.schema';

export type CompoundNearbyParams = z.output<typeof compoundNearbySchema>;
type ParsedInput = z.output<typeof compoundInputSchema>;
type ParsedPatch = z.output<typeof compoundPatchSchema>;

/** A gate more than this far from its compound is a typo in its coordinates, not a gate. */
export const GATE_MAX_DISTANCE_M = 2_000;

const gatesToWgs84 = (gates: ParsedInput['gates'], coordSys: CoordSys): Gate[] =>
  gates.map((g) => ({ id: g.id, name: g.name, location: g.location ? toWgs84(g.location, coordSys) : null }));

/** The compound and its gates lie in its city, and every gate near the compound. */
function assertPlaced(city: City, location: Compound['location'], gates: Gate[]): void {
  assertInServiceArea(city, location);
  const far = gates.filter((g) => g.location && haversineM(g.location, location) > GATE_MAX_DISTANCE_M);
  if (far.length) {
    throw new ValidationError(`门的位置离小区超过 ${GATE_MAX_DISTANCE_M / 1000} 公里，请检查坐标`, far.map((g) => ({ field: 'gates', gateId: g.id })), 422);
  }
}

/** Converts a validated request body to a WGS-84 CompoundInput. */
export function toCompoundInput(input: ParsedInput, coordSys: CoordSys): CompoundInput {
  return { ...input, location: toWgs84(input.location, coordSys), gates: gatesToWgs84(input.gates, coordSys), isDemo: false } as CompoundInput;
}

/** Domain rules for 小区: find, read and administer; locations are checked against the city. */
export function createCompoundService({ storage, clock }: { storage: CompoundsStorage; clock: Clock }) {
  const repo = storage.compounds;
  const missing = (id: string) => new NotFoundError(`小区 ${id} 不存在`, { field: 'id' });

  async function mustGet(id: string): Promise<Compound> {
    const c = isId(id) ? await repo.get(id) : null;
    if (!c) throw missing(id);
    return c;
  }

  return {
    nearby: (q: CompoundNearbyParams, c: Center): Promise<Array<Located<Compound>>> =>
      repo.nearby({ center: c.center, radiusM: c.radiusM, limit: q.limit, city: q.city }),
    search: (text: string, city: City | undefined, limit: number) => repo.search({ text, city, limit }),
    get: mustGet,
    async create(input: ParsedInput, coordSys: CoordSys): Promise<Compound> {
      const compound = toCompoundInput(input, coordSys);
      assertInServiceArea(compound.city, compound.location, input.location);
      assertPlaced(compound.city, compound.location, compound.gates);
      return repo.create(compound, clock.now());
    },
    async update(id: string, patch: ParsedPatch, coordSys: CoordSys): Promise<Compound> {
      const current = await mustGet(id);
      const next: Partial<CompoundInput> = {
        ...patch,
        // Rules not given keep their stored values (an explicit null, e.g. hours: null for any time, is a value).
        policy: patch.policy ? {
          mode: patch.policy.mode ?? current.policy.mode,
          rules: { ...current.policy.rules, ...Object.fromEntries(Object.entries(patch.policy.rules ?? {}).filter(([, v]) => v !== undefined)) },
        } : undefined,
        location: patch.location ? toWgs84(patch.location, coordSys) : undefined,
        gates: patch.gates ? gatesToWgs84(patch.gates, coordSys) : undefined,
      } as Partial<CompoundInput>;
      if (next.city || next.location || next.gates) {
        const location = next.location ?? current.location;
        if (next.city || next.location) assertInServiceArea(next.city ?? current.city, location, patch.location ?? undefined);
        assertPlaced(next.city ?? current.city, location, next.gates ?? current.gates);
      }
      const updated = await repo.update(id, next, clock.now());
      if (!updated) throw missing(id);
      return updated;
    },
    /** Only a compound nobody is let into any more: live passes or waiting requests first need revoking or deciding. */
    async remove(id: string): Promise<void> {
      const c = await mustGet(id);
      const [passes, pending] = await Promise.all([
        storage.passes.countActive(c.id, clock.now()),
        storage.accessRequests.list({ compoundIds: [c.id], status: 'pending', limit: 1 }),
      ]);
      if (passes > 0 || pending.length > 0) {
        throw new ConflictError(`小区还有 ${passes} 张有效通行证${pending.length ? '和待审批的申请' : ''}，请先撤销或处理后再删除`, { activePasses: passes, pendingRequests: pending.length > 0 });
      }
      if (!(await repo.delete(id))) throw missing(id);
    },
  };
}

export type CompoundService = ReturnType<typeof createCompoundService>;
