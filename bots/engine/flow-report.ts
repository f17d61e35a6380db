import type { HazardCategory } from '../api-contract';
import { call, replyStep, type Ctx } from './flow';
import { failureText } from './format-error';
import {
  askLocationText, askPhotoText, categoryListText, confirmText, createdText, duplicateOfferText, photoTooLargeText,
  reportInRoomText, stillLocationText, stillPhotoText, supportedText,
} from './format-report';
import { pointProblem } from './flow-search';
import { isOneOf, parseCommand } from './parse-commands';
import { normalizeText } from './text';
import type { BotInput, ConversationState, ReportDraft, Step } from './types';

const MAX_DESCRIPTION = 1000;
type Photo = NonNullable<ReportDraft['photo']>;

/** The category free text most likely means: most keyword hits (the name counts double), earlier on a tie; null for none. */
export function matchCategory(text: string, categories: HazardCategory[]): HazardCategory | null {
  const t = normalizeText(text);
  let best: HazardCategory | null = null;
  let hits = 0;
  for (const c of categories) {
    const n = c.keywords.filter((k) => t.includes(normalizeText(k))).length + (t.includes(normalizeText(c.name)) ? 2 : 0);
    if (n > hits) [best, hits] = [c, n];
  }
  return best;
}

const withDraft = (state: ConversationState, draft: ReportDraft, ctx: Ctx): ConversationState => ({ ...state, report: { ...draft, at: ctx.now.getTime() } });
const withoutDraft = (state: ConversationState): ConversationState => {
  const { report: _report, ...rest } = state;
  return rest;
};

/** The photo of an image message, or the reply refusing one too large. */
function photoOf(input: Extract<BotInput, { kind: 'image' }>, ctx: Ctx): Photo | string {
  if (input.bytes.byteLength > ctx.o.maxPhotoBytes) return photoTooLargeText(ctx.o.maxPhotoBytes);
  return { bytes: input.bytes, mimeType: input.mimeType ?? 'image/jpeg' };
}

/** 「上报」「随手拍 井盖坏了」 or a photo: reads the service's categories and asks for the first missing piece. */
export function startReport(text: string | null, photo: Photo | undefined, state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, reportInRoomText);
  return call(state, { op: 'hazardCategories' }, (o) => {
    if (!o.ok) return replyStep(state, failureText(o.error));
    const draft: ReportDraft = { stage: 'category', categories: o.data, at: ctx.now.getTime(), ...(photo ? { photo } : {}) };
    const category = text ? matchCategory(text, o.data) : null;
    if (category && text) return chosen({ ...draft, category, description: text }, state, ctx);
    return replyStep(withDraft(state, draft, ctx), categoryListText(o.data, Boolean(photo)));
  });
}

/** A category is known: ask for the location, or check for a nearby report when it is known already. */
function chosen(draft: ReportDraft, state: ConversationState, ctx: Ctx): Step {
  if (draft.location) return checkNearby(draft, state, ctx);
  return replyStep(withDraft(state, { ...draft, stage: 'location' }, ctx), askLocationText(draft.category as HazardCategory));
}

/** Offers an open report of the same category close by, if any, before a new one is made. */
function checkNearby(draft: ReportDraft, state: ConversationState, ctx: Ctx): Step {
  const { category, location } = draft as Required<Pick<ReportDraft, 'category' | 'location'>>;
  return call(state, { op: 'nearbyHazards', category: category.code, lng: location.lng, lat: location.lat }, (o) => {
    const [nearby] = o.ok ? o.data : [];
    if (nearby) return replyStep(withDraft(state, { ...draft, stage: 'duplicate', nearby }, ctx), duplicateOfferText(nearby));
    return afterNearby(draft, state, ctx);
  });
}

function afterNearby(draft: ReportDraft, state: ConversationState, ctx: Ctx): Step {
  if (draft.photo) return replyStep(withDraft(state, { ...draft, stage: 'confirm' }, ctx), confirmText(draft));
  return replyStep(withDraft(state, { ...draft, stage: 'photo' }, ctx), askPhotoText);
}

function submit(draft: ReportDraft, state: ConversationState, ctx: Ctx): Step {
  const { category, location } = draft as Required<Pick<ReportDraft, 'category' | 'location'>>;
  const report = {
    category: category.code, description: (draft.description ?? category.name).slice(0, MAX_DESCRIPTION), lng: location.lng, lat: location.lat,
    address: location.address, ...(draft.photo ? { photo: draft.photo } : {}),
  };
  return call(state, { op: 'createHazard', report }, (o) => {
    if (o.ok) return replyStep(withoutDraft(state), createdText(o.data));
    return replyStep(withDraft(state, draft, ctx), `${failureText(o.error)}\n回复「确认」再试一次，或「取消」放弃。`);
  });
}

function support(draft: ReportDraft, state: ConversationState): Step {
  const id = draft.nearby?.id as string;
  return call(state, { op: 'supportHazard', hazardId: id }, (o) =>
    replyStep(withoutDraft(state), o.ok ? supportedText(o.data) : failureText(o.error)));
}

function categoryStage(input: BotInput, draft: ReportDraft, state: ConversationState, ctx: Ctx): Step | null {
  const relist = (d: ReportDraft) => replyStep(withDraft(state, d, ctx), categoryListText(d.categories, false));
  if (input.kind === 'location') return relist({ ...draft, location: { lng: input.lng, lat: input.lat, address: input.address ?? input.name ?? null } });
  if (input.kind !== 'text') return null;
  const command = parseCommand(input.text, ctx.o.vocabulary);
  if (command?.kind === 'number') {
    const category = draft.categories[command.n - 1];
    return category ? chosen({ ...draft, category }, state, ctx) : relist(draft);
  }
  const category = matchCategory(input.text, draft.categories);
  return category ? chosen({ ...draft, category, description: input.text }, state, ctx) : null;
}

function locationStage(input: BotInput, draft: ReportDraft, state: ConversationState, ctx: Ctx): Step {
  if (input.kind !== 'location') return replyStep(withDraft(state, draft, ctx), stillLocationText);
  const problem = pointProblem(input);
  if (problem) return replyStep(withDraft(state, draft, ctx), problem);
  return checkNearby({ ...draft, location: { lng: input.lng, lat: input.lat, address: input.address ?? input.name ?? null } }, state, ctx);
}

function duplicateStage(input: BotInput, draft: ReportDraft, state: ConversationState, ctx: Ctx): Step {
  const v = ctx.o.vocabulary;
  const text = input.kind === 'text' ? input.text : '';
  const n = parseCommand(text, v);
  if ((n?.kind === 'number' && n.n === 1) || isOneOf(text, v.supportWords)) return support(draft, state);
  if ((n?.kind === 'number' && n.n === 2) || isOneOf(text, ['仍然上报', '继续上报', '不是', '不是这个'])) return afterNearby(draft, state, ctx);
  return replyStep(withDraft(state, draft, ctx), duplicateOfferText(draft.nearby as NonNullable<ReportDraft['nearby']>));
}

function describe(draft: ReportDraft, text: string): ReportDraft {
  const before = draft.description && draft.description !== draft.category?.name ? `${draft.description}；` : '';
  return { ...draft, description: `${before}${text.trim()}` };
}

function photoOrConfirmStage(input: BotInput, draft: ReportDraft, state: ConversationState, ctx: Ctx): Step {
  const toConfirm = (d: ReportDraft) => replyStep(withDraft(state, { ...d, stage: 'confirm' }, ctx), confirmText(d));
  if (input.kind === 'image') {
    const photo = photoOf(input, ctx);
    return typeof photo === 'string' ? replyStep(withDraft(state, draft, ctx), photo) : toConfirm({ ...draft, photo });
  }
  if (input.kind === 'location') {
    const problem = pointProblem(input);
    return problem ? replyStep(withDraft(state, draft, ctx), problem) : toConfirm({ ...draft, location: { lng: input.lng, lat: input.lat, address: input.address ?? input.name ?? null } });
  }
  if (input.kind !== 'text') return replyStep(withDraft(state, draft, ctx), draft.stage === 'photo' ? stillPhotoText : confirmText(draft));
  const v = ctx.o.vocabulary;
  // A stray number (a second reply to the last list) is no description.
  if (parseCommand(input.text, v)?.kind === 'number') return replyStep(withDraft(state, draft, ctx), draft.stage === 'photo' ? stillPhotoText : confirmText(draft));
  if (draft.stage === 'photo' && (isOneOf(input.text, v.skipWords) || isOneOf(input.text, v.confirmWords))) return toConfirm(draft);
  if (draft.stage === 'confirm' && isOneOf(input.text, v.confirmWords)) return submit(draft, state, ctx);
  return toConfirm(describe(draft, input.text));
}

/**
 * The next message of a report in progress. Null when the category stage cannot read it, so that the caller may
 * take it as something else (a search) or ask again.
 */
export function continueReport(input: BotInput, draft: ReportDraft, state: ConversationState, ctx: Ctx): Step | null {
  if (input.kind === 'image' && draft.stage !== 'photo' && draft.stage !== 'confirm') {
    const photo = photoOf(input, ctx);
    if (typeof photo === 'string') return replyStep(withDraft(state, draft, ctx), photo);
    const next = { ...draft, photo };
    return replyStep(withDraft(state, next, ctx), draft.stage === 'location' ? stillLocationText : draft.stage === 'duplicate' ? duplicateOfferText(draft.nearby as NonNullable<ReportDraft['nearby']>) : categoryListText(draft.categories, true));
  }
  switch (draft.stage) {
    case 'category': return categoryStage(input, draft, state, ctx);
    case 'location': return locationStage(input, draft, state, ctx);
    case 'duplicate': return duplicateStage(input, draft, state, ctx);
    default: return photoOrConfirmStage(input, draft, state, ctx);
  }
}

/** Asks again for the category when the text matched none. */
export function askCategoryAgain(draft: ReportDraft, state: ConversationState, ctx: Ctx): Step {
  const list = categoryListText(draft.categories, false).split('\n').slice(1).join('\n');
  return replyStep(withDraft(state, draft, ctx), `没认出是哪类隐患，请回复序号：\n${list}`);
}
