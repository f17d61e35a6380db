import type { HazardsStorage } from '../hazards/hazards.types';
import { OPEN_STATUSES } from '../hazards/hazards.types';
import type { z } from 'zod';
import { CITY_NAMES, type City } from '../../shared/domain';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import type { Actor, Audit } from '../identity/audit';
import { categoryOf, type BodyType } from '../hazards/categories';
import type { BodiesStorage, BodyInput, BodyQuery, ResponsibleBody } from './bodies.types';
import type { bodyInputSchema, bodyPatchSchema } from './bodies.schema';
import { canonicalDistrict, districtNames } from './districts';

type ParsedInput = z.output<typeof bodyInputSchema>;
type ParsedPatch = z.output<typeof bodyPatchSchema>;

/** The one answer for a body that does not exist or that the caller may not see, so a refusal does not tell them apart. */
export const bodyNotFound = () => new NotFoundError('责任单位不存在', { field: 'id' });

/** Full district names for the city; 422 naming every name that is not one of its districts, counties or areas. */
export function checkDistricts(city: City, names: readonly string[]): string[] {
  const found = names.map((n) => [n, canonicalDistrict(city, n)] as const);
  const unknown = found.filter(([, full]) => full === null).map(([n]) => n);
  if (unknown.length) {
    const examples = districtNames(city).slice(0, 6).join('、');
    throw new ValidationError(`${CITY_NAMES[city]}没有这些区县：${unknown.join('、')}（如 ${examples}）`, unknown.map((value) => ({ field: 'districts', value })), 422);
  }
  return [...new Set(found.map(([, full]) => full as string))];
}

/** 422 naming every category whose responsible type is not the body's. */
export function checkCategories(type: BodyType, codes: readonly string[]): void {
  const wrong = codes.map((c) => categoryOf(c)).filter((c) => c && c.bodyType !== type);
  if (wrong.length) {
    const list = wrong.map((c) => `「${c?.name}」属${c?.bodyType}`).join('、');
    throw new ValidationError(`类别与单位类型不符：${list}，不属${type}`, wrong.map((c) => ({ field: 'categories', value: c?.code })), 422);
  }
}

export interface BodyServiceDeps {
  storage: BodiesStorage & Pick<HazardsStorage, 'hazards'>;
  clock: Clock;
  audit: Audit;
}

/** City administrators' responsible bodies: register, read, change, delete; every change audited with it. */
export function createBodyService({ storage, clock, audit }: BodyServiceDeps) {
  const repo = storage.bodies;
  const event = (action: string, b: Pick<ResponsibleBody, 'id' | 'city'>, summary: Record<string, unknown>) =>
    ({ action: `hazard_body.${action}`, objectType: 'hazard_body', objectId: b.id, city: b.city, summary });
  return {
    /** The body with this id; 404 when there is none. */
    async get(id: string): Promise<ResponsibleBody> {
      const b = await repo.get(id);
      if (!b) throw bodyNotFound();
      return b;
    },
    list: (q: BodyQuery): Promise<ResponsibleBody[]> => repo.list(q),
    async create(actor: Actor, city: City, input: ParsedInput): Promise<ResponsibleBody> {
      checkCategories(input.type, input.categories);
      const body: BodyInput = { ...input, city, districts: checkDistricts(city, input.districts), isDemo: false };
      return audit.within(actor, () => repo.create(body, clock.now()),
        (b) => event('create', b, { name: b.name, type: b.type, districts: b.districts, categories: b.categories, contact: b.contact, active: b.active }));
    },
    async update(actor: Actor, current: ResponsibleBody, patch: ParsedPatch): Promise<ResponsibleBody> {
      // A new type must still fit the categories kept, and new categories the type kept.
      if (patch.type || patch.categories) checkCategories(patch.type ?? current.type, patch.categories ?? current.categories);
      const changes = patch.districts ? { ...patch, districts: checkDistricts(current.city, patch.districts) } : patch;
      const updated = await audit.within(actor, () => repo.update(current.id, changes, clock.now()),
        (b) => (b ? event('update', b, { ...changes, previous: { name: current.name, active: current.active } }) : null));
      if (!updated) throw bodyNotFound();
      return updated;
    },
    /** Only a body with no open report routed to it (it would name a body that no longer exists): deactivate it instead. */
    async remove(actor: Actor, current: ResponsibleBody): Promise<void> {
      const open = await storage.hazards.list({ bodyId: current.id, status: OPEN_STATUSES, limit: 1 });
      if (open.length) throw new ConflictError('还有分派给该单位、尚未办结的上报：请先处理或改派，或把单位设为停用（active: false）', { reason: 'open_reports' });
      const gone = await audit.within(actor, () => repo.delete(current.id),
        (ok) => (ok ? event('delete', current, { name: current.name, type: current.type }) : null));
      if (!gone) throw bodyNotFound();
    },
  };
}

export type BodyService = ReturnType<typeof createBodyService>;
