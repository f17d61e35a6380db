import dayjs from 'dayjs';
import { CITY_TZ } from '../../shared/time';
import type { OutboxEvent } from './outbox.types';

/** Which subscribe template a notice goes out with (config WECHAT_TEMPLATE_ACCESS / WECHAT_TEMPLATE_PASS). */
export type NoticeKind = 'access' | 'pass' | 'hazard';

/**
 * The payload fields the WeChat worker reads from access.* and pass.* events; everything else in the payload is
 * left to the bot. Times are ISO text; `page` is the mini-program page the message opens (e.g. pages/pass/detail?id=…).
 */
export interface NoticePayload {
  compoundName: string;
  reason?: string | null;
  validTo?: string;
  page?: string;
}

/** A subscribe message's content: the template kind and the values of its keys (example.env lists the layout). */
export interface Notice {
  kind: NoticeKind;
  data: Record<string, string>;
  page?: string;
}

// WeChat's limits: thing at most 20 characters, phrase at most 5 Chinese characters; an empty value is refused.
const THING_MAX = 20;
const chars = (s: string, max: number): string => {
  const list = [...s.replace(/\s+/g, ' ').trim()];
  return list.length <= max ? list.join('') : `${list.slice(0, max - 1).join('')}…`;
};
const thing = (value: unknown, fallback: string): string => chars(typeof value === 'string' && value.trim() ? value : fallback, THING_MAX);
const dateOf = (value: unknown): Date | null => {
  const d = typeof value === 'string' ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
};
const time = (d: Date): string => dayjs(d).tz(CITY_TZ).format('YYYY年M月D日 HH:mm');
const day = (d: Date): string => dayjs(d).tz(CITY_TZ).format('M月D日');

function notice(kind: NoticeKind, e: OutboxEvent, phrase: string, note: string, when: Date): Notice {
  const p = e.payload as Partial<NoticePayload>;
  const data = { thing1: thing(p.compoundName, '小区通行'), phrase2: phrase, thing3: thing(note, '详见小程序'), time4: time(when) };
  return { kind, data, ...(typeof p.page === 'string' && p.page ? { page: p.page } : {}) };
}

const reasonOf = (e: OutboxEvent): string => (typeof e.payload.reason === 'string' ? e.payload.reason : '');

/** How each event type the worker knows becomes a notice; types not listed are not sent by WeChat (the bot may still use them). */
const RENDERERS: Record<string, (e: OutboxEvent) => Notice> = {
  'access.approved': (e) => {
    const validTo = dateOf(e.payload.validTo);
    return notice('access', e, '已通过', validTo ? `通行证有效至${day(validTo)}` : '可在小程序查看通行码', e.createdAt);
  },
  'access.denied': (e) => notice('access', e, '未通过', reasonOf(e), e.createdAt),
  // 随手拍 updates: the category stands where the compound stands in the access notices.
  'hazard.updated': (e) => {
    const p = e.payload as { categoryName?: string; statusName?: string; note?: string | null };
    const n = notice('hazard', { ...e, payload: { ...e.payload, compoundName: p.categoryName ?? '隐患上报' } }, chars(p.statusName ?? '有更新', 5), p.note ?? '详见小程序', e.createdAt);
    return { ...n, page: `pages/hazard/detail?id=${String(e.payload.reportId)}` };
  },
  'pass.revoked': (e) => notice('pass', e, '已撤销', reasonOf(e), e.createdAt),
  'pass.expiring': (e) => {
    const validTo = dateOf(e.payload.validTo);
    return notice('pass', e, '即将到期', '如需继续进出请重新申请', validTo ?? e.createdAt);
  },
};

/** The subscribe message for an event, or null for a type the worker does not send. */
export function noticeFor(e: OutboxEvent): Notice | null {
  return Object.hasOwn(RENDERERS, e.type) ? (RENDERERS[e.type] as (e: OutboxEvent) => Notice)(e) : null;
}
