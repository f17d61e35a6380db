import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, UnauthorizedError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import type { City } from '../../shared/domain';
import type { StorageBase } from '../../storage/types';
import type { Audit } from './audit';
import { holdingsOf } from './holdings';
import type { Holdings, Staff, IdentityStorage } from './identity.types';
import { hashPassword, verifyPassword } from './passwords';
import type { SessionService, TokenPair } from './sessions.service';
import { redeemCode } from './codes';

/** The slice of the WeChat client that identity needs. */
export interface WeChatApi {
  code2Session(code: string): Promise<{ openid: string; unionid: string | null }>;
  getPhoneNumber(code: string): Promise<{ purePhoneNumber: string; countryCode: string }>;
}

export interface AuthDeps {
  storage: IdentityStorage & Pick<StorageBase, 'atomically' | 'transactions'>;
  clock: Clock;
  sessions: SessionService;
  wechat: WeChatApi;
  lockAfter: number;
  lockMinutes: number;
  audit: Audit;
}

// Compared against when the username is unknown, so a miss takes as long as a wrong password.
const DUMMY_HASH = hashPassword('not-a-real-password-0');

/** Invitation payload: the role and holdings the new account gets. */
export interface InvitationPayload extends Partial<Holdings> {
  role: Staff['role'];
}

/** Logins: riders through WeChat, staff by password or a bound WeChat, and accepting invitations. */
export function createAuthService(deps: AuthDeps) {
  const { storage, clock, sessions } = deps;

  async function riderLogin(code: string): Promise<TokenPair & { userId: string }> {
    const { openid, unionid } = await deps.wechat.code2Session(code);
    const { rider } = await storage.riders.findOrCreateByOpenid(openid, unionid, clock.now());
    if (unionid && rider.unionid !== unionid) await storage.riders.update(rider.id, { unionid }, clock.now());
    if (rider.status !== 'active') throw new ForbiddenError('账号已被停用，请联系社工部', { reason: 'suspended' });
    return { ...(await sessions.start('rider', rider.id)), userId: rider.id };
  }

  async function staffWeChatLogin(code: string): Promise<TokenPair & { userId: string }> {
    const { openid } = await deps.wechat.code2Session(code);
    const staff = await storage.staff.findByOpenid(openid);
    if (!staff) throw new NotFoundError('该微信尚未绑定工作人员账号，请先用用户名密码登录后绑定', { field: 'code' });
    if (staff.status !== 'active') throw new ForbiddenError('账号已被停用', { reason: 'disabled' });
    return { ...(await sessions.start('staff', staff.id)), userId: staff.id };
  }

  /** Wrong passwords slow down (a wait that doubles from the 3rd miss) and lock the account after lockAfter misses. */
  async function staffPasswordLogin(username: string, password: string): Promise<TokenPair & { userId: string }> {
    const now = clock.now();
    const staff = await storage.staff.findByUsername(username);
    if (staff?.lockedUntil && staff.lockedUntil > now) {
      throw lockedError(staff.lockedUntil, now);
    }
    const ok = await verifyPassword(password, staff?.passwordHash ?? (await DUMMY_HASH));
    if (!staff || !staff.passwordHash || !ok) {
      if (staff) await recordFailure(staff, now);
      throw new UnauthorizedError('用户名或密码错误');
    }
    if (staff.status !== 'active') throw new ForbiddenError('账号已被停用', { reason: 'disabled' });
    await storage.staff.update(staff.id, { failedLogins: 0, lockedUntil: null, lastLoginAt: now }, now);
    return { ...(await sessions.start('staff', staff.id)), userId: staff.id };
  }

  async function recordFailure(staff: Staff, now: Date): Promise<void> {
    const failures = await storage.staff.addFailedLogin(staff.id, now);
    const waitMs = failures >= deps.lockAfter ? deps.lockMinutes * 60_000 : failures >= 3 ? 1000 * 2 ** (failures - 3) : 0;
    if (waitMs) await storage.staff.update(staff.id, { lockedUntil: new Date(now.getTime() + waitMs) }, now);
  }

  /** A new staff account from an invitation code; the account and its audit entry commit together. */
  async function acceptInvitation(input: { code: string; username: string; password: string; displayName: string }, requestId: string): Promise<TokenPair & { userId: string }> {
    const now = clock.now();
    let passwordHash = '';
    const staff = await redeemCode(storage, {
      kind: 'invitation', code: input.code, usedBy: input.username, now, label: '邀请码',
      async before() {
        if (await storage.staff.findByUsername(input.username)) throw new ConflictError('用户名已被占用', { field: 'username' });
        passwordHash = await hashPassword(input.password);
      },
    }, async (invitation) => {
      const p = invitation.payload as unknown as InvitationPayload;
      const city = invitation.city as City;
      // The new member is the actor of their own acceptance; the id is only known once created.
      return storage.atomically(async () => {
        const created = await storage.staff.create({
          username: input.username.toLowerCase(), displayName: input.displayName, passwordHash, role: p.role,
          city, ...holdingsOf(p), status: 'active', isDemo: false,
        }, now);
        await deps.audit.record({ id: created.id, role: created.role, requestId },
          { action: 'invitation.accept', objectType: 'staff', objectId: created.id, city, summary: { role: created.role } });
        return created;
      });
    });
    return { ...(await sessions.start('staff', staff.id)), userId: staff.id };
  }

  return { riderLogin, staffWeChatLogin, staffPasswordLogin, acceptInvitation };
}

function lockedError(until: Date, now: Date): RateLimitedError {
  return new RateLimitedError(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)), '密码错误次数过多，请稍后再试', 'login_locked');
}

export type AuthService = ReturnType<typeof createAuthService>;
