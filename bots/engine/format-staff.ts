import type { Staff } from '../api-contract';
import type { ErrorLike } from './format-error';
import { cityLabel, roleLabel } from './labels';

const HOLDINGS: Array<[keyof Staff['holdings'], string]> = [['stationIds', '个驿站'], ['merchantIds', '家商户'], ['compoundIds', '个小区']];

/** '张师傅（驿站运营方，重庆）': the name, role and city of a staff account. */
export function staffLabel(s: Staff): string {
  const role = roleLabel(s.role);
  const city = s.city ? cityLabel(s.city) : null;
  return `${s.displayName || s.username}（${city ? `${role}，${city}` : role}）`;
}

/** The reply after a successful bind. */
export function formatBound(s: Staff): string {
  return `绑定成功：${staffLabel(s)}。以后在这里发消息，机器人会认出您。`;
}

/** The answer to '我是谁': the bound account and what it manages, or how riders use the bot without binding. */
export function formatWhoAmI(s: Staff | null): string {
  if (!s) return '您还没有绑定工作人员账号；骑手无需绑定，直接发送位置即可找驿站。';
  const held = HOLDINGS.filter(([key]) => s.holdings[key].length > 0).map(([key, unit]) => `${s.holdings[key].length} ${unit}`);
  return `您是：${staffLabel(s)}${held.length > 0 ? `，管理 ${held.join('、')}` : ''}`;
}

/** A failed bind or look-up: the service's own message, except where the bot knows better what to tell staff. */
export function formatStaffError(error: Pick<ErrorLike, 'status' | 'message'>): string {
  if (error.status === 410) return '绑定码已使用或已过期，请在小程序里重新生成';
  if (error.status === 401 || error.status === 403) return '机器人未正确配置，请联系管理员';
  return error.message;
}

/** Refuses a bind code sent in a group chat, where everyone in the room can read it. */
export function bindInRoomText(): string {
  return '请私聊机器人完成绑定，不要在群里发送绑定码';
}

/** Asked when '绑定' comes without a usable code. */
export function bindUsageText(): string {
  return '请发送「绑定」加小程序里生成的绑定码，如「绑定 K7M2Q9XA」（10 分钟内有效）。';
}

/** Why a staff command did nothing: riders are told how staff get recognised; staff that they hold nothing of the kind. */
export function notHolderText(role: string, what: string): string {
  if (role === 'rider') return `这是工作人员的命令。工作人员请先在小程序生成绑定码，再私聊我发送「绑定 绑定码」。`;
  return `您的账号没有管理的${what}，不能使用这个命令。`;
}

export const seatsUsageText = '请发送「空位」加现在的空座数，如「空位 5」；坐满了发「满员」。';
export const denyUsageText = '请写明拒绝的原因（骑手能看到），如「拒绝 1 不是本小区的配送员」。';
export const refUsageText = (verb: string) => `请先发「待审批」查看列表，再回复「${verb} 序号」，如「${verb} 1」。`;
export const verifyUsageText = '请发送「核验」加骑手的通行码，如「核验 128 405 9371」。';
export const codeInRoomText = '请不要在群里发送通行码：群里的人都能看到。请私聊我。';
export const riderCodeText = '这是通行码吗？请直接给门岗看，不要发给别人。查看自己的通行码请发「我的通行码」。';
export const gateForgottenText = '好的，下次核验时会重新选择小区和门。';

/** A choice entry for a station: its name and what riders see now. */
export function stationLabel(s: { name: string; status: string; available: number | null; capacity: number }): string {
  const state = s.status === 'open' ? (s.available === null ? '空位未知' : `空位 ${s.available}/${s.capacity}`) : s.status === 'temporarily_closed' ? '暂停开放' : '已关闭';
  return `${s.name}（${state}）`;
}

/** After an operator's report: what riders now see. */
export function stationUpdatedText(s: { name: string; status: string; statusNote?: string | null; available: number | null; capacity: number }): string {
  if (s.status === 'temporarily_closed') return `已设为暂停开放：${s.name}${s.statusNote ? `（${s.statusNote}）` : ''}。恢复时发「恢复开放」。`;
  if (s.status === 'open' && s.available !== null) return `已更新：${s.name} 空位 ${s.available}/${s.capacity}，骑手查询时马上能看到。`;
  return `已更新：${stationLabel(s)}。`;
}

/** A pending request in a manager's list. */
export function pendingLine(r: { rider?: { displayName: string | null; platform: string | null; maskedPhone: string | null } | null; compoundName: string | null; durationDays: number; reason?: string | null; overdue?: boolean }, i: number): string {
  const who = [r.rider?.displayName ?? '骑手', [r.rider?.platform, r.rider?.maskedPhone].filter(Boolean).join(' ')].filter(Boolean).join('，');
  const reason = r.reason ? `：${r.reason}` : '';
  return `${i + 1}. ${who} 申请进「${r.compoundName ?? '小区'}」${r.durationDays} 天${reason}${r.overdue ? '（已超时）' : ''}`;
}

export function pendingListText(lines: string[]): string {
  if (lines.length === 0) return '目前没有待审批的进入申请。';
  return ['待审批的进入申请：', ...lines, '回复「同意 1」批准，「拒绝 1 原因」拒绝（原因骑手能看到）。'].join('\n');
}

/** What the guard's phone says after a check. */
export function gateCheckText(c: { allowed: boolean; message: string; rider: { displayName: string | null; platform: string | null; maskedPhone: string | null } | null; pass: { number: number } | null }): string {
  const who = c.rider ? [c.rider.displayName ?? '骑手', c.rider.platform, c.rider.maskedPhone].filter(Boolean).join(' ') : null;
  const pass = c.pass ? `通行证 No.${c.pass.number}` : null;
  const detail = [who, pass].filter(Boolean).join('，');
  return c.allowed ? `【允许进入】${detail}` : `【不能进入】${c.message}${detail ? `（${detail}）` : ''}`;
}
