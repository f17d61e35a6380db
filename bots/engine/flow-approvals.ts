import { call, fresh, privateStep, replyStep, type Ctx } from './flow';
import { dateText, privateOnlyText } from './format-common';
import { failureText } from './format-error';
import { denyUsageText, pendingLine, pendingListText, refUsageText } from './format-staff';
import type { ConversationState, ErrorLike, Step } from './types';

const forbidden = (e: ErrorLike) => (e.status === 403 ? '只有小区物业或城市管理员可以审批进入申请。' : failureText(e));

/** 「待审批」: the pending requests of the manager's compounds, numbered; the numbers are remembered for 「同意 2」. */
export function pendingStep(state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, privateOnlyText('待审批'));
  return call(state, { op: 'pendingRequests' }, (o) => {
    if (!o.ok) return replyStep(state, forbidden(o.error));
    const names = o.data.map((r) => r.rider?.displayName ?? null);
    const next: ConversationState = { ...state, pending: { ids: o.data.map((r) => r.id), names, at: ctx.now.getTime() } };
    return privateStep(next, pendingListText(o.data.map(pendingLine)));
  });
}

/** The request a number or id refers to: an entry of the list just shown, or a request id given in full. */
function requestIdOf(ref: number | string, state: ConversationState, ctx: Ctx): string | null {
  if (typeof ref === 'string') return ref;
  const p = state.pending;
  if (!p || !fresh(p.at, ctx.now, ctx.o.pendingMs)) return null;
  return p.ids[ref - 1] ?? null;
}

/** The rider's name for the reply: the service's, else the one the list showed. */
function riderName(id: string, given: string | null | undefined, state: ConversationState): string {
  const p = state.pending;
  return given ?? (p ? p.names[p.ids.indexOf(id)] : null) ?? '骑手';
}

/** 「同意 2」: approves the second request of the list just shown. */
export function approveStep(ref: number | string | null, state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, privateOnlyText('待审批'));
  const id = ref === null ? null : requestIdOf(ref, state, ctx);
  if (!id) return replyStep(state, refUsageText('同意'));
  return call(state, { op: 'approve', requestId: id }, (o) => {
    if (!o.ok) return replyStep(state, forbidden(o.error));
    const { request: r, pass } = o.data;
    const passText = pass ? `，通行证 No.${pass.number} 有效至${dateText(pass.validTo)}` : '';
    return privateStep(state, `已批准 ${riderName(id, r.rider?.displayName, state)} 进入「${r.compoundName ?? '小区'}」${passText}。骑手会收到通知。`);
  });
}

/** 「拒绝 2 原因」: denies with a reason the rider will read. */
export function denyStep(ref: number | string | null, reason: string | null, state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, privateOnlyText('待审批'));
  const id = ref === null ? null : requestIdOf(ref, state, ctx);
  if (!id) return replyStep(state, ref === null ? denyUsageText : refUsageText('拒绝'));
  if (!reason) return replyStep(state, denyUsageText);
  return call(state, { op: 'deny', requestId: id, reason }, (o) => {
    if (!o.ok) return replyStep(state, forbidden(o.error));
    return privateStep(state, `已拒绝 ${riderName(id, o.data.rider?.displayName, state)} 进入「${o.data.compoundName ?? '小区'}」的申请，原因：${reason}。骑手会收到通知。`);
  });
}
