import { maskPhone } from '../../shared/logger';
import { holdingsOf } from './holdings';
import type { Rider, Staff } from './identity.types';
import type { Principal } from './principal';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A rider as others see it (administrators): the phone number masked like 138****1234. */
export function riderView(r: Rider, opts: { owner: boolean } = { owner: false }) {
  return {
    id: r.id,
    role: 'rider' as const,
    displayName: r.displayName,
    phone: r.phone && !opts.owner ? maskPhone(r.phone) : r.phone,
    platform: r.platform,
    city: r.city,
    plate: r.plate,
    verification: r.verification,
    status: r.status,
    isDemo: r.isDemo,
    createdAt: r.createdAt.toISOString(),
  };
}

/** A staff account without its secrets. */
export function staffView(s: Staff) {
  return {
    id: s.id,
    role: s.role,
    username: s.username,
    displayName: s.displayName,
    city: s.city,
    holdings: holdingsOf(s),
    wechatBound: s.wechatOpenid !== null,
    botBound: s.botContactId !== null,
    status: s.status,
    isDemo: s.isDemo,
    lastLoginAt: iso(s.lastLoginAt),
    createdAt: s.createdAt.toISOString(),
  };
}

/** What GET /me shows the caller: their role and what they hold; the rider's own phone unmasked. */
export function meView(p: Principal) {
  return p.kind === 'rider' ? { ...riderView(p.rider, { owner: true }), holdings: null } : staffView(p.staff);
}
