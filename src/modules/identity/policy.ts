import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../shared/errors';
import type { City } from '../../shared/domain';
import type { Principal } from './principal';

/** Everything a non-rider may do; each route names one of these and the object it touches. */
export type Action =
  | 'station.create' | 'station.update' | 'station.delete' | 'station.occupancy' | 'station.status'
  | 'merchant.create' | 'merchant.update' | 'merchant.offer' | 'merchant.delete'
  | 'import.run'
  | 'invitation.create' | 'invitation.read'
  | 'staff.read' | 'staff.update'
  | 'rider.read' | 'rider.update'
  | 'audit.read';

/** The object an action touches: its city always, its id when it has one. */
export interface Target {
  city: City | null;
  id?: string;
}

type Rule = (p: Principal, t: Target) => boolean;

const cityAdmin: Rule = (p, t) => p.role === 'city_admin' && t.city === p.city;
const holds = (list: string[], id?: string) => id !== undefined && list.includes(id);
const operatorOf: Rule = (p, t) => cityAdmin(p, t) || (p.kind === 'staff' && p.role === 'station_operator' && holds(p.stationIds, t.id));
const ownerOf: Rule = (p, t) => cityAdmin(p, t) || (p.kind === 'staff' && p.role === 'merchant_owner' && holds(p.merchantIds, t.id));

const RULES: Record<Action, Rule> = {
  'station.create': cityAdmin,
  'station.update': cityAdmin,
  'station.delete': cityAdmin,
  'station.occupancy': operatorOf,
  'station.status': operatorOf,
  'merchant.create': cityAdmin,
  'merchant.update': cityAdmin,
  'merchant.offer': ownerOf,
  'merchant.delete': cityAdmin,
  'import.run': cityAdmin,
  'invitation.create': cityAdmin,
  'invitation.read': cityAdmin,
  'staff.read': cityAdmin,
  'staff.update': cityAdmin,
  'rider.read': (p, t) => p.role === 'city_admin' && (t.city === null || t.city === p.city),
  'rider.update': (p, t) => p.role === 'city_admin' && (t.city === null || t.city === p.city),
  'audit.read': cityAdmin,
};

// Staff and rider records are not public: refusing them with 404 keeps their existence from leaking.
const HIDDEN = new Set<Action>(['staff.read', 'staff.update', 'rider.read', 'rider.update']);

/** Throws 401 without a principal, 403 (404 for non-public objects) when the rule refuses; returns the principal. */
export function authorize(p: Principal | undefined, action: Action, target: Target): Principal {
  if (!p) throw new UnauthorizedError();
  if (RULES[action](p, target)) return p;
  if (HIDDEN.has(action)) throw new NotFoundError();
  throw new ForbiddenError('无权执行此操作', { action, role: p.role });
}

/** Whether the rule allows it, for handlers that choose between two actions. */
export function allows(p: Principal | undefined, action: Action, target: Target): boolean {
  return !!p && RULES[action](p, target);
}

/** The caller must be a logged-in staff member (any role); riders get 403. */
export function requireStaff(p: Principal | undefined): Extract<Principal, { kind: 'staff' }> {
  if (!p) throw new UnauthorizedError();
  if (p.kind !== 'staff') throw new ForbiddenError('仅限工作人员');
  return p;
}
