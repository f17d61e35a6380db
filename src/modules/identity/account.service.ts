import { NotFoundError, ValidationError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import type { StorageBase } from '../../storage/types';
import type { WeChatClient } from '../wechat/wechat.types';
import type { Actor, Audit } from './audit';
import { redeemCode } from './codes';
import type { IdentityStorage, RiderProfile, Staff } from './identity.types';
import { humanCode, sha256 } from './tokens';

const BIND_CODE_TTL_MS = 10 * 60_000;

/** One's own account: riders' profile and phone, staff's name and their WeChat and bot bindings. */
export function createAccountService(deps: { storage: IdentityStorage & Pick<StorageBase, 'atomically' | 'transactions'>; clock: Clock; audit: Audit; wechat: WeChatClient }) {
  const { storage, clock, audit, wechat } = deps;
  return {
    async updateRider(riderId: string, patch: Partial<Pick<RiderProfile, 'displayName' | 'platform' | 'city' | 'plate'>>): Promise<void> {
      await storage.riders.update(riderId, patch, clock.now());
    },
    /** Binds the phone number WeChat vouches for (a single-use code from the mini-program's getPhoneNumber). */
    async bindPhone(riderId: string, code: string): Promise<void> {
      const phone = await wechat.getPhoneNumber(code);
      if (phone.countryCode !== '86') throw new ValidationError('暂只支持中国大陆手机号', { field: 'code' }, 422);
      await storage.riders.update(riderId, { phone: phone.purePhoneNumber }, clock.now());
    },
    async updateStaff(actor: Actor, staff: Pick<Staff, 'id' | 'city'>, patch: { displayName: string }): Promise<void> {
      await audit.within(actor, () => storage.staff.update(staff.id, patch, clock.now()),
        () => ({ action: 'staff.update_self', objectType: 'staff', objectId: staff.id, city: staff.city, summary: patch }));
    },
    /** Binds the staff member's WeChat (a wx.login code), so they can log in with it. */
    async bindWeChat(actor: Actor, staff: Pick<Staff, 'id' | 'city'>, code: string): Promise<void> {
      const { openid } = await wechat.code2Session(code);
      await audit.within(actor, () => storage.staff.update(staff.id, { wechatOpenid: openid }, clock.now()),
        () => ({ action: 'staff.bind_wechat', objectType: 'staff', objectId: staff.id, city: staff.city, summary: {} }));
    },
    /** A short-lived code the staff member sends the bot (「绑定 CODE」) to bind their WeChat contact. */
    async botBindCode(actor: Actor, staff: Pick<Staff, 'id' | 'city'>) {
      const code = humanCode(8);
      const expiresAt = new Date(clock.now().getTime() + BIND_CODE_TTL_MS);
      await audit.within(actor,
        () => storage.codes.create({ kind: 'bot_bind', codeHash: sha256(code), payload: { staffId: staff.id }, city: staff.city, createdBy: staff.id, expiresAt }, clock.now()),
        (made) => ({ action: 'staff.bot_bind_code', objectType: 'code', objectId: made.id, city: staff.city, summary: { expiresAt } }));
      return { code, expiresAt: expiresAt.toISOString(), howTo: `在微信里向暖新机器人发送「绑定 ${code}」` };
    },
    /** The bot binds a WeChat contact to the staff member whose bind code it was sent. */
    async bindBotContact(code: string, contactId: string, requestId: string): Promise<Staff> {
      const now = clock.now();
      return redeemCode(storage, { kind: 'bot_bind', code, usedBy: contactId, now, label: '绑定码' }, async (found) => {
        const staffId = String(found.payload.staffId);
        const current = await storage.staff.get(staffId);
        if (!current) throw new NotFoundError('账号不存在');
        const actor = { id: current.id, role: current.role, requestId };
        return audit.within(actor, async () => {
          const staff = await storage.staff.update(staffId, { botContactId: contactId }, now);
          if (!staff) throw new NotFoundError('账号不存在');
          return staff;
        }, (staff) => ({ action: 'staff.bind_bot', objectType: 'staff', objectId: staff.id, city: staff.city, summary: { contactId } }));
      });
    },
    /** The active staff member a bot contact is bound to; 404 otherwise. */
    async staffByBotContact(contactId: string): Promise<Staff> {
      const staff = await storage.staff.findByBotContact(contactId);
      if (!staff || staff.status !== 'active') throw new NotFoundError('该联系人未绑定工作人员账号');
      return staff;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
