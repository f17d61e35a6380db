import { ForbiddenError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import type { City } from '../../shared/domain';
import type { IdentityStorage } from './identity.types';
import { demoHoldings, type HoldingKind } from './holdings';
import type { Role } from './principal';
import type { SessionService, TokenPair } from './sessions.service';

/**
 * Development login: a demo user of any role, so a new developer can try every role without WeChat or invitations.
 * Refused whenever DEV_LOGIN is off, and configuration refuses DEV_LOGIN in production.
 */
export function createDevLogin(deps: { storage: IdentityStorage; clock: Clock; sessions: SessionService; enabled: boolean; holdings: readonly HoldingKind[] }) {
  const { storage, clock, sessions } = deps;
  /** `key` picks one of several demo users of the role and city ('2', 'b'…); absent, the first one. */
  return async function devLogin(role: Role, city: City, key?: string): Promise<TokenPair & { userId: string }> {
    if (!deps.enabled) throw new ForbiddenError('开发登录仅在非生产环境可用', { reason: 'dev_login_disabled' });
    const now = clock.now();
    if (role === 'rider') {
      const { rider } = await storage.riders.findOrCreateByOpenid(key ? `demo-rider-${city}-${key}` : `demo-rider-${city}`, null, now, { isDemo: true, displayName: key ? `演示骑手${key}` : '演示骑手', city });
      return { ...(await sessions.start('rider', rider.id)), userId: rider.id };
    }
    const username = `demo-${role.replace(/_/g, '-')}-${city}${key ? `-${key}` : ''}`;
    const holdings = await demoHoldings(deps.holdings, role, city);
    const existing = await storage.staff.findByUsername(username);
    const staff = existing
      ? await storage.staff.update(existing.id, { ...holdings, status: 'active' }, now)
      : await storage.staff.create({ username, displayName: `演示${ROLE_NAMES[role]}`, passwordHash: null, role, city, ...holdings, status: 'active', isDemo: true }, now);
    return { ...(await sessions.start('staff', staff!.id)), userId: staff!.id };
  };
}

const ROLE_NAMES: Record<Role, string> = {
  rider: '骑手', city_admin: '市级管理员', station_operator: '驿站运营方', merchant_owner: '商户', property_manager: '物业', gate_guard: '门岗', body_staff: '责任单位工作人员',
};
