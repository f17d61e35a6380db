import { fromWgs84, roundLngLat } from '../../shared/geo';
import type { ViewContext } from '../../shared/view';
import type { Compound } from './compounds.types';

type CompoundViewContext = Pick<ViewContext, 'coordSys'>;

const rulesView = (c: Compound) => {
  const r = c.policy.rules;
  return {
    minLevel: r.minLevel, hours: r.hours, platforms: r.platforms, ebikeAllowed: r.ebikeAllowed, maxPassDays: r.maxPassDays,
    minActiveDays: r.minActiveDays, minOnTimeRate: r.minOnTimeRate, maxAtFaultAccidents: r.maxAtFaultAccidents, maxComplaints: r.maxComplaints,
  };
};

/** What a rider's list needs: where it is, how entry works there, and the notes for riders. */
export function compoundSummary(c: Compound & { distanceM?: number }, v: CompoundViewContext) {
  return {
    id: c.id,
    name: c.name,
    city: c.city,
    district: c.district,
    address: c.address,
    location: roundLngLat(fromWgs84(c.location, v.coordSys)),
    propertyCompany: c.propertyCompany,
    accessMode: c.policy.mode,
    ebikeAllowed: c.policy.rules.ebikeAllowed,
    notes: c.notes,
    isDemo: c.isDemo,
    ...(c.distanceM !== undefined ? { distanceM: Math.round(c.distanceM) } : {}),
  };
}

/** One compound in full: its gates and access policy too. The place code is not here: it is printed at the gate. */
export function compoundView(c: Compound & { distanceM?: number }, v: CompoundViewContext) {
  return {
    ...compoundSummary(c, v),
    gates: c.gates.map((g) => ({ id: g.id, name: g.name, location: g.location ? roundLngLat(fromWgs84(g.location, v.coordSys)) : null })),
    policy: { mode: c.policy.mode, rules: rulesView(c) },
    externalId: c.externalId,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
