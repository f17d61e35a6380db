import { MERCHANTS, STAFF, STATIONS } from '../testing/fixtures';
import { conversation, drive, fail } from '../testing/drive';
import { MEMORY_MS, step } from './conversation';
import type { ApiRequest, ConversationState, Step } from './types';

const t0 = new Date('2025-06-01T12:00:00+08:00');
const later = (ms: number) => new Date(t0.getTime() + ms);
const text = (t: string) => ({ kind: 'text' as const, text: t });
const jiefangbei = { kind: 'location' as const, lng: 106.5775, lat: 29.5582 };
const stationsResult = { data: STATIONS, meta: { radius: 1000, count: 3, place: null } };
const merchantsResult = { data: MERCHANTS, meta: { radius: 1000, count: 2, place: null } };
const answers = { stations: stationsResult, merchants: merchantsResult, stationsById: [] };

/** The request of a step that calls, or a failed test. */
function requestOf(s: Step): ApiRequest {
  if (s.action.kind !== 'call') throw new Error(`expected a call, got: ${JSON.stringify(s.action)}`);
  return s.action.request;
}

describe('conversation step: searches', () => {
  it('searches stations at a shared location, asking for three times the shown number, and remembers it once found', () => {
    const s = step(jiefangbei, {}, t0);
    expect(requestOf(s)).toEqual({
      op: 'stations', query: { center: { lng: 106.5775, lat: 29.5582 }, limit: 15, openNow: false, amenities: [], hasSeats: false },
    });
    expect(s.state).toEqual({});
    const { state, text: reply } = drive(s, answers);
    expect(reply).toMatch(/^你附近1公里内的暖新驿站：/);
    expect(state.remembered).toEqual({ center: { lng: 106.5775, lat: 29.5582 }, label: null, at: t0.getTime() });
  });

  it('does not remember a place the service did not find', () => {
    const { state, text: reply } = drive(step(text('驿站 沙平坝'), {}, t0), { stations: fail(404, '未找到地点「沙平坝」', { suggestions: ['沙坪坝区（重庆）'] }) });
    expect(reply).toContain('你是不是要找：沙坪坝区（重庆）');
    expect(state).toEqual({});
  });

  it.each([
    ['商户', undefined],
    ['优惠', undefined],
    ['吃饭', '餐饮'],
  ])('answers %s after a location with merchants at the same spot', (follow, category) => {
    const { state } = drive(step(jiefangbei, {}, t0), answers);
    const r = requestOf(step(text(follow), state, later(MEMORY_MS - 1)));
    expect(r).toMatchObject({ op: 'merchants', query: { center: { lng: 106.5775, lat: 29.5582 }, limit: 5 } });
    expect(r.op === 'merchants' && r.query.category).toBe(category);
  });

  it('forgets the location after 10 minutes and asks for it again', () => {
    const { state } = drive(step(jiefangbei, {}, t0), answers);
    expect(step(text('商户'), state, later(MEMORY_MS)).action)
      .toEqual({ kind: 'reply', text: '请先发送你的位置（「+」→「位置」），或带上地名，如「春熙路 优惠」。' });
  });

  it('does not extend the memory when a follow-up uses it', () => {
    const { state } = drive(step(jiefangbei, {}, t0), answers);
    expect(drive(step(text('商户'), state, later(MEMORY_MS / 2)), answers).state).toBe(state);
  });

  it('remembers a place name too, so "驿站 3公里" widens the last search', () => {
    const { state } = drive(step(text('春熙路 吃饭'), {}, t0), answers);
    expect(requestOf(step(text('驿站 3公里'), state, later(60_000)))).toMatchObject({
      op: 'stations', query: { center: { place: '春熙路' }, radiusM: 3000 },
    });
  });

  it('asks for a location when a bare keyword comes first', () => {
    const s = step(text('驿站'), {}, t0);
    expect(s.action).toEqual({ kind: 'reply', text: '请先发送你的位置（「+」→「位置」），或带上地名，如「驿站 沙坪坝」。' });
    expect(s.state).toEqual({});
  });

  it('leaves the state alone for help and hints', () => {
    const state: ConversationState = drive(step(jiefangbei, {}, t0), answers).state;
    for (const t of ['帮助', '你好', '驿站 解放碑 50公里']) {
      const s = step(text(t), state, t0);
      expect(s.action.kind).toBe('reply');
      expect(s.state).toBe(state);
    }
  });

  it('refuses a radius over 20 km with an example', () => {
    expect(step(text('驿站 解放碑 30公里'), {}, t0).action)
      .toEqual({ kind: 'reply', text: '搜索范围最大 20 公里，请换个小一点的范围，如「驿站 沙坪坝 5公里」。' });
  });

  it('lists as many results as configured', () => {
    expect(requestOf(step(jiefangbei, {}, t0, { limit: 3 }))).toMatchObject({ query: { limit: 9 } });
  });

  it.each([
    ['a point outside both cities', { lng: 116.4, lat: 39.9 }, '你发送的位置不在服务范围内：暖新助手目前只覆盖重庆和成都。'],
    ['swapped coordinates', { lng: 29.5582, lat: 106.5775 }, '这个位置的经度和纬度好像写反了，请重新发送位置（「+」→「位置」）。'],
    ['(0, 0)', { lng: 0, lat: 0 }, '你发送的位置不在服务范围内：暖新助手目前只覆盖重庆和成都。'],
  ])('answers %s in a rider\'s words, without calling the service', (_name, point, reply) => {
    expect(step({ kind: 'location', ...point }, {}, t0).action).toEqual({ kind: 'reply', text: reply });
  });

  it('names no parameter when the service refuses one', () => {
    const c = conversation({ stations: fail(400, '参数 lat 有误：纬度须在 -90 到 90 之间', { field: 'lat' }) });
    expect(c.send('驿站 解放碑')).toBe('这个位置不对，请重新发送位置（「+」→「位置」）');
    const d = conversation({ stations: fail(400, '参数 radius 有误：不能大于 20000', { field: 'radius' }) });
    expect(d.send('驿站 解放碑')).toBe('不能大于 20000');
  });

  it('says which cities it covers for a place outside them, and never suggests a place inside', () => {
    const c = conversation({ stations: fail(404, '本服务目前只覆盖重庆和成都，「北京」不在服务范围内', { outside: '北京' }) });
    const reply = c.send('北京');
    expect(reply).toBe('暖新助手目前只覆盖重庆和成都，「北京」不在服务范围内。换个重庆或成都的地名试试，如「驿站 解放碑」「驿站 春熙路」。');
    expect(reply).not.toContain('北碚');
  });

  it('asks for the weekly hours of a station closed for the day, to say when it opens next', () => {
    const c = conversation({ stations: stationsResult, stationsById: ({ ids }) => ids.map((id) => ({ ...STATIONS.find((s) => s.id === id)!, hours: { kind: 'weekly', days: { mon: [{ open: '08:00', close: '22:00' }] } } })) });
    expect(c.send('驿站 解放碑')).toContain('2. 【演示】较场口暖新驿站 · 1.3公里 · 今日休息，明天8:00开门');
    expect(c.requests.map((r) => r.op)).toEqual(['stations', 'stationsById']);
    expect(c.requests[1]).toEqual({ op: 'stationsById', ids: ['st-2'] });
  });

  it('still answers when the hours cannot be read', () => {
    const c = conversation({ stations: stationsResult, stationsById: fail(0, 'down') });
    expect(c.send('驿站 解放碑')).toContain('2. 【演示】较场口暖新驿站 · 1.3公里 · 今日休息\n');
  });
});

describe('conversation step: staff binding', () => {
  it('binds a code sent in a private chat, leaving the state alone', () => {
    const { state } = drive(step(jiefangbei, {}, t0), answers);
    const s = step(text('绑定 k7m2-q9xa'), state, t0);
    expect(requestOf(s)).toEqual({ op: 'bind', code: 'K7M2Q9XA' });
    const r = drive(s, { bind: STAFF });
    expect(r).toMatchObject({ text: '绑定成功：张师傅（驿站运营方，重庆）。以后在这里发消息，机器人会认出您。', state });
  });

  it.each(['绑定 K7M2Q9XA', '绑定', '绑定 12'])('refuses "%s" in a room without calling the service', (t) => {
    expect(step(text(t), {}, t0, {}, 'room').action).toEqual({ kind: 'reply', text: '请私聊机器人完成绑定，不要在群里发送绑定码' });
  });

  it('explains the bind command when the code is missing or malformed', () => {
    expect(step(text('绑定 12'), {}, t0).action).toEqual({ kind: 'reply', text: '请发送「绑定」加小程序里生成的绑定码，如「绑定 K7M2Q9XA」（10 分钟内有效）。' });
  });

  it.each(['private', 'room'] as const)('asks who the sender is, in a %s chat', (chat) => {
    expect(requestOf(step(text('我是谁'), {}, t0, {}, chat))).toEqual({ op: 'whoami' });
    expect(drive(step(text('我是谁'), {}, t0, {}, chat), { whoami: null }).text).toBe('您还没有绑定工作人员账号；骑手无需绑定，直接发送位置即可找驿站。');
  });
});

describe('conversation step: any message', () => {
  it('refuses a message over 500 characters politely, and reads one of 500', () => {
    expect(step(text('驿'.repeat(501)), {}, t0).action).toEqual({ kind: 'reply', text: '消息太长了（最多 500 字），请简短一些再发。发送「帮助」查看用法。' });
    expect(step(text('驿'.repeat(500)), {}, t0).action.kind).not.toBe('call');
  });

  it.each(['', '   ', '😀😀', '\u0000\u0001\u0002', '？？？？'])('answers %j with a short hint or help, never silence', (t) => {
    const s = step(text(t), {}, t0);
    expect(s.action.kind).toBe('reply');
    expect(s.action.kind === 'reply' && s.action.text.length).toBeGreaterThan(10);
  });

  it('answers voice and video with what it can read', () => {
    expect(step({ kind: 'unsupported' }, {}, t0).action).toEqual({ kind: 'reply', text: expect.stringMatching(/^暂时只能看懂文字、位置和照片。/) });
  });

  it('shows the staff menu on 「工作人员帮助」', () => {
    expect(step(text('工作人员帮助'), {}, t0).action).toEqual({ kind: 'reply', text: expect.stringContaining('物业：待审批；同意 1；拒绝 1 原因') });
  });

  it('says there is no list when a bare number comes without one', () => {
    expect(step(text('2'), {}, t0).action).toEqual({ kind: 'reply', text: '没有可以选择的列表了（可能已超过 10 分钟），请重新发送命令。' });
  });
});
