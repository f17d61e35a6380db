import { ConflictError, ForbiddenError, GoneError, NotFoundError, RateLimitedError, UnauthorizedError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import type { City } from '../../shared/domain';
import type { Staff, IdentityStorage } from './identity.types';
import { hashPassword, verifyPassword } from './passwords';
import type { SessionService, TokenPair } from './sessions.service';
import { sha256 } from './tokens';

/** The slice of the WeChat client that identity needs. */
export interface WeChatApi {
  code2Session(code: string): Promise<{ openid: string; unionid: string | null }>;
  getPhoneNumber(code: string): Promise<{ purePhoneNumber: string; countryCode: string }>;
}

export interface AuthDeps {
  storage: IdentityStorage;
  clock: Clock;
  sessions: SessionService;
  wechat: WeChatApi;
  lockAfter: number;
  lockMinutes: number;
}

// Compared against when the username is unknown, so a miss takes as long as a wrong password.
const DUMMY_HASH = hashPassword('not-a-real-password-0');

/** Invitation payload: the role and holdings the new account gets. */
export interface InvitationPayload {
  role: Staff['role'];
  stationIds: string[];
  merchantIds: string[];
  compoundIds: string[];
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

  async function acceptInvitation(input: { code: string; username: string; password: string; displayName: string }): Promise<TokenPair & { userId: string }> {
    const now = clock.now();
    const invitation = await storage.codes.findByHash('invitation', sha256(normalizeCode(input.code)));
    if (!invitation) throw new NotFoundError('邀请码不存在', { field: 'code' });
    if (invitation.usedAt) throw new GoneError('邀请码已被使用', { field: 'code', reason: 'used' });
    if (invitation.expiresAt <= now) throw new GoneError('邀请码已过期', { field: 'code', reason: 'expired' });
    if (await storage.staff.findByUsername(input.username)) throw new ConflictError('用户名已被占用', { field: 'username' });
    const passwordHash = await hashPassword(input.password);
    if (!(await storage.codes.consume(invitation.id, input.username, now))) throw new GoneError('邀请码已被使用', { field: 'code', reason: 'used' });
    const p = invitation.payload as unknown as InvitationPayload;
    let staff: Staff;
    try {
      staff = await storage.staff.create({
        username: input.username.toLowerCase(), displayName: input.displayName, passwordHash, role: p.role,
        city: invitation.city as City, stationIds: p.stationIds, merchantIds: p.merchantIds, compoundIds: p.compoundIds,
        status: 'active', isDemo: false,
      }, now);
    } catch (err) {
      await storage.codes.release(invitation.id); // nothing half-done: the code works again
      throw err;
    }
    return { ...(await sessions.start('staff', staff.id)), userId: staff.id };
  }

  return { riderLogin, staffWeChatLogin, staffPasswordLogin, acceptInvitation };
}

function lockedError(until: Date, now: Date): RateLimitedError {
  return new RateLimitedError(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)), '密码错误次数过多，请稍后再试', 'login_locked');
}

/** Codes are shown in upper case and typed any way; spaces and dashes are ignored. */
export function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export type AuthService = ReturnType<typeof createAuthService>;
