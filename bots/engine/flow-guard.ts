import type { Me } from '../api-contract';
import { call, fresh, privateStep, replyStep, type Ctx } from './flow';
import { choiceText } from './format-common';
import { failureText } from './format-error';
import { codeInRoomText, gateCheckText, notHolderText, riderCodeText, verifyUsageText } from './format-staff';
import { passCodeDigits } from './parse-commands';
import type { ConversationState, Option, Step } from './types';

const MAX_CHOICES = 9;

/** Checks a code at a gate, remembering the gate so the next code needs no question. */
export function verifyAt(compound: Option, gate: Option, code: string, state: ConversationState, ctx: Ctx): Step {
  const next: ConversationState = { ...state, gate: { compound, gate, at: ctx.now.getTime() } };
  return call(next, { op: 'verifyGate', compoundId: compound.id, gateId: gate.id, code }, (o) => {
    if (o.ok) return privateStep(next, `${compound.label} ${gate.label}：${gateCheckText(o.data)}`);
    // A gate the service no longer lets this guard use is not remembered.
    if (o.error.status === 403 || o.error.status === 404) return replyStep(forgetGate(state), o.error.status === 403 ? '只有本小区的门岗可以核验通行码。' : failureText(o.error));
    return replyStep(next, failureText(o.error));
  });
}

/** The compound's gates: one is used at once, several are asked about. */
export function gatesOf(compound: Option, code: string, state: ConversationState, ctx: Ctx): Step {
  return call(state, { op: 'compound', id: compound.id }, (o) => {
    if (!o.ok) return replyStep(state, failureText(o.error));
    const named: Option = { id: compound.id, label: o.data.name };
    const gates = (o.data.gates ?? []).map((g) => ({ id: g.id, label: g.name }));
    const [only] = gates;
    if (!only) return replyStep(state, `「${o.data.name}」还没有登记门，请联系物业。`);
    if (gates.length === 1) return verifyAt(named, only, code, state, ctx);
    const next: ConversationState = { ...state, choice: { kind: 'gate', compound: named, options: gates, code, at: ctx.now.getTime() } };
    return replyStep(next, choiceText(`您在「${o.data.name}」的哪个门？（选一次，之后的核验都用这个门；换门发「换门」）`, gates));
  });
}

function withCompounds(me: Me, code: string, state: ConversationState, ctx: Ctx): Step {
  const ids = me.holdings?.compoundIds ?? [];
  const [only] = ids;
  if (!only) return replyStep(state, notHolderText(me.role, '小区'));
  if (ids.length === 1) return gatesOf({ id: only, label: only }, code, state, ctx);
  return call(state, { op: 'compoundsById', ids: ids.slice(0, MAX_CHOICES) }, (o) => {
    const found = o.ok ? o.data : [];
    const options = ids.slice(0, MAX_CHOICES).map((id) => ({ id, label: found.find((c) => c.id === id)?.name ?? `小区 ${id}` }));
    const next: ConversationState = { ...state, choice: { kind: 'guard_compound', options, code, at: ctx.now.getTime() } };
    return replyStep(next, choiceText('您在哪个小区核验？', options));
  });
}

/** 「核验 128 405 9371」: at the remembered gate, or after asking the guard's compound and gate. */
export function verifyStep(code: string | null, state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, codeInRoomText);
  if (!code) return replyStep(state, verifyUsageText);
  const typed = passCodeDigits(code) ?? code;
  const g = state.gate;
  if (g && fresh(g.at, ctx.now, ctx.o.gateMs)) return verifyAt(g.compound, g.gate, typed, state, ctx);
  return call(state, { op: 'me' }, (o) => (o.ok ? withCompounds(o.data, typed, state, ctx) : replyStep(state, failureText(o.error))));
}

/** A message that is only a pass code: a guard's is checked, a rider is told to show it rather than send it. */
export function bareCodeStep(code: string, state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, codeInRoomText);
  const g = state.gate;
  if (g && fresh(g.at, ctx.now, ctx.o.gateMs)) return verifyAt(g.compound, g.gate, code, state, ctx);
  return call(state, { op: 'me' }, (o) => {
    if (!o.ok) return replyStep(state, failureText(o.error));
    return o.data.role === 'gate_guard' ? withCompounds(o.data, code, state, ctx) : replyStep(state, riderCodeText);
  });
}

/** 「换门」: forgets the remembered gate. */
export function forgetGate(state: ConversationState): ConversationState {
  const { gate: _gate, ...rest } = state;
  return rest;
}
