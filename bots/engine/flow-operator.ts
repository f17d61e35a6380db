import { call, replyStep, type Ctx } from './flow';
import { choiceText, privateOnlyText } from './format-common';
import { failureText } from './format-error';
import { notHolderText, seatsUsageText, stationLabel, stationUpdatedText } from './format-staff';
import type { ConversationState, Option, StationChange, Step } from './types';

const MAX_CHOICES = 9;

/** Reports seats or open/closed for one station, as the operator. */
export function applyStationChange(stationId: string, change: StationChange, state: ConversationState): Step {
  const done = (o: { ok: true; data: Parameters<typeof stationUpdatedText>[0] } | { ok: false; error: Parameters<typeof failureText>[0] }) =>
    replyStep(state, o.ok ? stationUpdatedText(o.data) : failureText(o.error));
  if (change.kind === 'occupancy') return call(state, { op: 'setOccupancy', stationId, available: change.available === 'full' ? 0 : change.available }, done);
  return call(state, { op: 'setStatus', stationId, status: change.status, note: change.note }, done);
}

function askWhich(ids: string[], change: StationChange, state: ConversationState, ctx: Ctx): Step {
  return call(state, { op: 'stationsById', ids: ids.slice(0, MAX_CHOICES) }, (o) => {
    const found = o.ok ? o.data : [];
    const options: Option[] = ids.slice(0, MAX_CHOICES).map((id) => {
      const s = found.find((x) => x.id === id);
      return { id, label: s ? stationLabel(s) : `驿站 ${id}` };
    });
    const next: ConversationState = { ...state, choice: { kind: 'station', options, change, at: ctx.now.getTime() } };
    return replyStep(next, choiceText('您管理多个驿站，是哪一个？', options));
  });
}

/** 「空位 5」「满员」「暂停开放 原因」「恢复开放」: for the sender's only station, or the one they pick. */
export function stationChangeStep(change: StationChange | { kind: 'occupancy'; available: null }, state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, privateOnlyText(change.kind === 'occupancy' ? '空位 5' : '暂停开放 原因'));
  if (change.kind === 'occupancy' && change.available === null) return replyStep(state, seatsUsageText);
  const wanted = change as StationChange;
  return call(state, { op: 'me' }, (o) => {
    if (!o.ok) return replyStep(state, failureText(o.error));
    const ids = o.data.holdings?.stationIds ?? [];
    const [only] = ids;
    if (!only) return replyStep(state, notHolderText(o.data.role, '驿站'));
    return ids.length === 1 ? applyStationChange(only, wanted, state) : askWhich(ids, wanted, state, ctx);
  });
}
