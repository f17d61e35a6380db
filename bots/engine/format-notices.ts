import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** An outbox event as the notifier hands it over: its type and the payload its producer wrote. */
export interface NoticeEvent {
  type: string;
  payload: Record<string, unknown>;
}

type P = Record<string, unknown>;

// Riders are addressed as 你, as the bot's replies do. Both cities keep Beijing time; riders read wall-clock times there, whatever the bot's host says.
const TZ = 'Asia/Shanghai';
const str = (p: P, key: string): string | null => {
  const v = p[key];
  return typeof v === 'string' && v.trim() ? v.trim() : null;
};
const timeOf = (p: P, key: string): string | null => {
  const v = str(p, key);
  const d = v ? dayjs(v) : null;
  return d && d.isValid() ? d.tz(TZ).format('M月D日 HH:mm') : null;
};
const compound = (p: P): string => `「${str(p, 'compoundName') ?? '小区'}」`;
/** ' reason' as the tail of a sentence: '：原因。' or just '。'. */
const because = (p: P, key: string): string => {
  const r = str(p, key);
  return r ? `：${r}。` : '。';
};

function approved(p: P): string {
  const until = timeOf(p, 'validTo');
  return `你进入${compound(p)}的申请已通过${until ? `，通行证有效至${until}` : ''}。发送「我的通行码」获取进门码。`;
}

function requested(p: P): string {
  const days = typeof p.durationDays === 'number' ? `${p.durationDays}天` : '';
  const unmet = Array.isArray(p.unmet) ? p.unmet.filter((u): u is string => typeof u === 'string') : [];
  return [
    `新的进小区申请：骑手${str(p, 'riderName') ?? ''}申请进入${compound(p)}${days}。`,
    unmet.length ? `未满足的条件：${unmet.join('；')}。` : '',
    '发送「待审批」查看并处理。',
  ].join('');
}

function hazardUpdated(p: P): string {
  const whose = p.mine === true ? '你上报的' : '你关注的';
  const where = str(p, 'address');
  const head = `${whose}「${str(p, 'categoryName') ?? '隐患'}」${where ? `（${where}）` : ''}有新进展：${str(p, 'statusName') ?? '状态有更新'}`;
  const merged = str(p, 'duplicateOf') ? '，已合并到同一地点的另一条上报' : '';
  const note = str(p, 'note');
  return `${head}${merged}${note ? `。说明：${note}` : ''}。发送「我的上报」查看。`;
}

const FORMATS: Record<string, (p: P) => string> = {
  'access.approved': approved,
  'access.denied': (p) => `你进入${compound(p)}的申请未通过${because(p, 'reason')}`,
  'access.requested': requested,
  'pass.revoked': (p) => `你在${compound(p)}的通行证已被撤销${because(p, 'reason')}如有疑问请联系小区物业。`,
  'pass.expiring': (p) => {
    const at = timeOf(p, 'validTo');
    return `你在${compound(p)}的通行证${at ? `将于${at}` : '即将'}到期。如需继续进出，请发送「进小区 ${str(p, 'compoundName') ?? '小区名'}」重新申请。`;
  },
  'hazard.updated': hazardUpdated,
};

/** The chat message for an outbox event, or null for a type the bot does not tell anyone about. */
export function formatNotice(event: NoticeEvent): string | null {
  const format = Object.hasOwn(FORMATS, event.type) ? FORMATS[event.type] : undefined;
  return format ? format(event.payload) : null;
}

/** Event types the bot sends a message for. */
export const NOTICE_TYPES: readonly string[] = Object.keys(FORMATS);
