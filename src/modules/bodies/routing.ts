import { CITY_NAMES, type City, type Located } from '../../shared/domain';
import { ValidationError } from '../../shared/errors';
import type { LngLat } from '../../shared/geo';
import type { Compound, CompoundsStorage } from '../compounds/compounds.types';
import { categoryOf, type BodyType, type HazardCategory } from '../hazards/categories';
import type { RouteDecision } from '../hazards/hazards.types';
import type { BodiesStorage, ResponsibleBody } from './bodies.types';
import { canonicalDistrict } from './districts';

/** Where and what a report is: district as the report gives it (null: unknown, only city-wide bodies cover it). */
export interface RouteInput {
  city: City;
  district: string | null;
  category: string;
  /** WGS-84. */
  location: LngLat;
}

export interface RouterDeps {
  storage: BodiesStorage & Pick<CompoundsStorage, 'compounds'>;
  /** A 物业 matter within this many metres of a registered compound goes to that compound (HAZARD_COMPOUND_DISTANCE_M). */
  nearCompoundM: number;
}

export interface HazardRouter {
  route(input: RouteInput): Promise<RouteDecision>;
}

const PAGE = 200;

/**
 * 三事分流 routing: a 物业 matter in or near a registered compound goes to that compound's property managers;
 * otherwise to the city's active body of the category's type that handles it and covers the district (one for the
 * district beats a city-wide one, one naming the category beats one taking all of its type, then the oldest);
 * otherwise it is unrouted and the city's administrators triage it. 422 for an unknown category.
 */
export function createRouter(deps: RouterDeps): HazardRouter {
  return {
    async route(input) {
      const category = categoryOf(input.category);
      if (!category) throw new ValidationError(`未知的隐患类别：${input.category}`, [{ field: 'category', value: input.category }], 422);
      const district = input.district === null ? null : (canonicalDistrict(input.city, input.district) ?? input.district);
      if (category.bodyType === '物业') {
        const compound = await nearestCompound(deps, input);
        if (compound) return toCompound(category, compound, deps.nearCompoundM);
      }
      const bodies = await activeBodies(deps.storage, input.city, category.bodyType);
      const body = pickBody(bodies, category.code, district);
      if (body) return toBody(category, body, input.city, district);
      return unrouted(category, input.city, district, deps.nearCompoundM);
    },
  };
}

async function nearestCompound(deps: RouterDeps, input: RouteInput): Promise<Located<Compound> | null> {
  if (deps.nearCompoundM <= 0) return null;
  const [near] = await deps.storage.compounds.nearby({ center: input.location, radiusM: deps.nearCompoundM, limit: 1, city: input.city });
  return near ?? null;
}

async function activeBodies(storage: BodiesStorage, city: City, type: BodyType): Promise<ResponsibleBody[]> {
  const all: ResponsibleBody[] = [];
  for (let after: string | undefined; ;) {
    const page = await storage.bodies.list({ city, type, active: true, limit: PAGE, after });
    all.push(...page);
    if (page.length < PAGE) return all;
    after = page[page.length - 1]?.id;
  }
}

/** How well a body fits: null when it does not handle the category or cover the district; higher is closer. */
function fit(b: ResponsibleBody, code: string, district: string | null): number | null {
  if (b.categories.length > 0 && !b.categories.includes(code)) return null;
  const forDistrict = district !== null && b.districts.includes(district);
  if (!forDistrict && b.districts.length > 0) return null;
  return (forDistrict ? 2 : 0) + (b.categories.length > 0 ? 1 : 0);
}

/** The best-fitting body; of equals the first (bodies come in id order, so the oldest). */
export function pickBody(bodies: readonly ResponsibleBody[], code: string, district: string | null): ResponsibleBody | null {
  let best: ResponsibleBody | null = null;
  let bestFit = -1;
  for (const b of bodies) {
    const f = fit(b, code, district);
    if (f !== null && f > bestFit) [best, bestFit] = [b, f];
  }
  return best;
}

function toCompound(c: HazardCategory, compound: Located<Compound>, nearM: number): RouteDecision {
  const m = Math.round(compound.distanceM);
  return {
    bodyId: null, bodyName: `${compound.name}物业`, kind: 'compound', compoundId: compound.id,
    why: `「${c.name}」属物业职责，位置距小区 ${compound.name} ${m} 米（${nearM} 米以内），由该小区物业负责`,
  };
}

function toBody(c: HazardCategory, b: ResponsibleBody, city: City, district: string | null): RouteDecision {
  const head = `「${c.name}」属${c.bodyType}职责，`;
  const why = b.districts.length > 0
    ? `${head}${district}由 ${b.name} 负责`
    : `${head}${district ? `${district}未登记专门单位，` : ''}${CITY_NAMES[city]}全市由 ${b.name} 负责`;
  return { bodyId: b.id, bodyName: b.name, kind: 'body', compoundId: null, why };
}

function unrouted(c: HazardCategory, city: City, district: string | null, nearM: number): RouteDecision {
  const place = `${CITY_NAMES[city]}${district ?? ''}`;
  const noCompound = c.bodyType === '物业' ? `${nearM} 米以内没有登记的小区，${place}也` : place;
  return {
    bodyId: null, bodyName: null, kind: 'unrouted', compoundId: null,
    why: `「${c.name}」属${c.bodyType}职责，${noCompound}没有负责此类的责任单位，由市级管理员分派`,
  };
}
