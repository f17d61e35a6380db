import type { AccessOutcome, AccessRequest, Compound, Pass, PassCode, PlaceScan } from '../api-contract';
import { dateText } from './format-common';
import type { Option } from './types';

const named = (name: string | null | undefined) => `「${name ?? '该小区'}」`;

/** A compound in a numbered list: its name and address. */
export const compoundOption = (c: Compound): Option => ({ id: c.id, label: `${c.name}（${c.address}）` });

/** How a pass reads: number, end date, hours when limited. */
function passText(p: Pass): string {
  const hours = p.hours && p.hours.length > 0 ? `，每天 ${p.hours.map((h) => `${h.open}-${h.close}`).join('、')} 可进` : '';
  return `通行证 No.${p.number}，有效至${dateText(p.validTo)}${hours}`;
}

function requestText(r: AccessRequest, unmet: string[]): string {
  const name = named(r.compoundName);
  if (r.status === 'denied') {
    const why = r.decisionNote ?? (unmet.length > 0 ? unmet.join('；') : null);
    return `${name}没有通过你的申请${why ? `：${why}` : '。'}`;
  }
  if (r.status === 'approved') return `${name}已批准你的申请。发送「我的通行码」查看通行码。`;
  const waiting = `已向${name}物业提交进入申请（${r.durationDays} 天），审批后我会发消息通知你。`;
  return unmet.length > 0 ? `${waiting}\n还需要满足：${unmet.join('；')}` : waiting;
}

/** What asking for access found: the pass to show, a request waiting for the property manager, or the refusal. */
export function formatAccess(o: { request: AccessRequest | null; pass: Pass | null; unmet: string[] }, compoundName: string | null): string {
  if (o.pass && o.pass.current) return `你已有${named(o.pass.compoundName ?? compoundName)}的${passText(o.pass)}。\n进门时发送「我的通行码」，把通行码给门岗看。`;
  if (o.request) return requestText(o.request, o.unmet);
  return o.unmet.length > 0 ? `暂时不能申请${named(compoundName)}：${o.unmet.join('；')}` : `暂时不能申请${named(compoundName)}。`;
}

/** The reply to 「进小区」 once a compound is chosen. */
export function formatAccessOutcome(o: AccessOutcome): string {
  return formatAccess(o, o.request.compoundName);
}

/** The reply to a place code typed from a gate: which gate, then the pass or the request, then the gate's notes. */
export function formatPlaceScan(s: PlaceScan): string {
  const notes = s.notes ? `\n进门提示：${s.notes}` : '';
  return `${named(s.compoundName)}（${s.gateId.toUpperCase()} 门）\n${formatAccess(s, s.compoundName)}${notes}`;
}

/** The current codes of the rider's passes, grouped as the guard types them, with the seconds each stays valid. */
export function formatCodes(codes: Array<{ pass: Pass; code: PassCode }>): string {
  if (codes.length === 0) return '你还没有有效的通行证。发送「进小区 小区名」申请，如「进小区 幸福里」。';
  const lines = codes.map(({ pass, code }) => `${named(pass.compoundName)}通行码：${code.display}（${code.expiresInSeconds} 秒后换新码，旧码仍可再用 30 秒）`);
  return [...lines, '请把通行码给门岗看；过期了再发「我的通行码」。'].join('\n');
}

export function compoundNotFoundText(query: string): string {
  return `没有找到「${query}」。换个小区名或地址试试，如「进小区 幸福里」。`;
}

export const enterUsageText = '请发送「进小区」加小区名或地址，如「进小区 幸福里」。';
