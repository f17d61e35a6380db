import type { Staff } from '../api-contract';
import type { ErrorLike } from './format-error';
import { CITY_LABELS, ROLE_LABELS } from './labels';

const HOLDINGS: Array<[keyof Staff['holdings'], string]> = [['stationIds', '个驿站'], ['merchantIds', '家商户'], ['compoundIds', '个小区']];

/** '张师傅（驿站运营方，重庆）': the name, role and city of a staff account. */
export function staffLabel(s: Staff): string {
  const role = ROLE_LABELS[s.role] ?? '工作人员';
  const city = s.city ? (CITY_LABELS[s.city] ?? s.city) : null;
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
