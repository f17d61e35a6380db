import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../shared/errors';
import type { City } from '../../shared/domain';
import type { Holdings, StaffRole } from './identity.types';
import type { Principal } from './principal';

/** The object an action touches: its city always, its id when it has one. */
export interface Target {
  city: City | null;
  id?: string;
}

/** One row of the policy table: may this caller do the action to this target? */
export type Rule = (p: Principal, t: Target) => boolean;
export type Rules = Readonly<Record<string, Rule>>;

/** A city administrator of the target's city. */
export const cityAdmin: Rule = (p, t) => p.role === 'city_admin' && t.city === p.city;

/** The caller is staff of this role and holds the target (listed under `key` of their holdings). */
export const holderOf = (role: StaffRole, key: keyof Holdings): Rule => (p, t) =>
  p.kind === 'staff' && p.role === role && t.id !== undefined && p[key].includes(t.id);

/** Either rule. */
export const either = (a: Rule, b: Rule): Rule => (p, t) => a(p, t) || b(p, t);

/**
 * A feature's rows of the policy table, with authorize/allows typed to its own actions. `hidden` actions refuse
 * with 404, not 403, so a refusal does not tell that the object exists (staff and rider records).
 */
export function definePolicy<A extends string>(rules: Record<A, Rule>, hidden: ReadonlyArray<NoInfer<A>> = []) {
  const hide = new Set<string>(hidden);
  return {
    rules: rules as Rules,
    /** Throws 401 without a principal, 403 (404 for hidden actions) when the rule refuses; returns the principal. */
    authorize(p: Principal | undefined, action: A, target: Target): Principal {
      if (!p) throw new UnauthorizedError();
      if (rules[action](p, target)) return p;
      if (hide.has(action)) throw new NotFoundError();
      throw new ForbiddenError('无权执行此操作', { action, role: p.role });
    },
    /** Whether the rule allows it, for handlers that choose between two actions. */
    allows(p: Principal | undefined, action: A, target: Target): boolean {
      return !!p && rules[action](p, target);
    },
  };
}

/** The caller must be a logged-in staff member (any role); riders get 403. */
export function requireStaff(p: Principal | undefined): Extract<Principal, { kind: 'staff' }> {
  if (!p) throw new UnauthorizedError();
  if (p.kind !== 'staff') throw new ForbiddenError('仅限工作人员');
  return p;
}
