import { ValidationError } from '../../shared/errors';
import type { City } from '../../shared/domain';
import { HOLDING_KEYS, type Holdings, type StaffRole } from './identity.types';

/** One kind of object staff can hold (stations for operators…), contributed by the feature that owns the objects. */
export interface HoldingKind {
  key: keyof Holdings;
  /** The roles whose work it is: the development login gives these roles some demo objects of the kind. */
  roles: readonly StaffRole[];
  /** Those of the ids that are not objects of this city (unknown ones included). */
  foreign(city: City, ids: readonly string[]): Promise<string[]>;
  /** The first few objects of the city, for the development login's demo staff. */
  firstOfCity(city: City, n: number): Promise<string[]>;
}

/** A holding kind for a located repository: an id is the city's when get(id) finds it in that city. */
export function holdingKind(
  key: keyof Holdings, role: StaffRole | readonly StaffRole[],
  repo: { get(id: string): Promise<{ city: City } | null>; list(q: { city: City; limit: number }): Promise<Array<{ id: string }>> },
): HoldingKind {
  return {
    key,
    roles: typeof role === 'string' ? [role] : role,
    async foreign(city, ids) {
      const found = await Promise.all(ids.map(async (id) => ((await repo.get(id))?.city === city ? null : id)));
      return found.filter((id): id is string => id !== null);
    },
    firstOfCity: async (city, n) => (await repo.list({ city, limit: n })).map((d) => d.id),
  };
}

/** 422 naming every held id that is not the city's. */
export async function checkHoldings(kinds: readonly HoldingKind[], city: City, role: StaffRole, h: Partial<Holdings>): Promise<void> {
  // A holding the role has no work with grants nothing; refused so that no one believes it was given.
  const misfit = kinds.filter((k) => (h[k.key]?.length ?? 0) > 0 && !k.roles.includes(role));
  if (misfit.length) {
    throw new ValidationError(`角色 ${role} 不能持有 ${misfit.map((k) => k.key).join('、')}`,
      misfit.map((k) => ({ field: k.key, message: `只有 ${k.roles.join('、')} 持有` })), 422);
  }
  const bad: Array<{ field: string; id: string }> = [];
  for (const kind of kinds) for (const id of await kind.foreign(city, h[kind.key] ?? [])) bad.push({ field: kind.key, id });
  if (bad.length) throw new ValidationError('这些对象不存在或不属于本市', bad, 422);
}

/** Holdings of nothing. */
export const emptyHoldings = (): Holdings => holdingsOf({});

/** Every holding list of x, an absent one (a record stored before its kind existed) as empty. */
export function holdingsOf(x: Partial<Holdings>): Holdings {
  return Object.fromEntries(HOLDING_KEYS.map((k) => [k, x[k] ?? []])) as Holdings;
}

/** What the development login's demo staff of a role hold: a few objects of their city. */
export async function demoHoldings(kinds: readonly HoldingKind[], role: StaffRole, city: City): Promise<Holdings> {
  const h = emptyHoldings();
  for (const kind of kinds) if (kind.roles.includes(role)) h[kind.key] = await kind.firstOfCity(city, 3);
  return h;
}
