import type { City } from '../../shared/domain';
import { holdingsOf } from './holdings';
import type { Holdings, Rider, Staff, StaffRole } from './identity.types';

export type Role = 'rider' | StaffRole;

/** Who is calling: resolved from the access token on every request. */
export type Principal =
  | { kind: 'rider'; id: string; role: 'rider'; city: City | null; sessionId: string; rider: Rider }
  | ({ kind: 'staff'; id: string; role: StaffRole; city: City; sessionId: string; staff: Staff } & Holdings);

export function riderPrincipal(rider: Rider, sessionId: string): Principal {
  return { kind: 'rider', id: rider.id, role: 'rider', city: rider.city, sessionId, rider };
}

export function staffPrincipal(staff: Staff, sessionId: string): Principal {
  return {
    kind: 'staff', id: staff.id, role: staff.role, city: staff.city, sessionId, staff, ...holdingsOf(staff),
  };
}

declare module 'koa' {
  interface DefaultState {
    principal?: Principal;
  }
}
