import { MEMORY_MS, step } from './conversation';
import type { ConversationState, MerchantSearch, ResolvedSearch } from './types';

const t0 = new Date('2025-06-01T12:00:00+08:00');
const later = (ms: number) => new Date(t0.getTime() + ms);
const text = (t: string) => ({ kind: 'text' as const, text: t });
const jiefangbei = { kind: 'location' as const, lng: 106.5775, lat: 29.5582 };

function searchOf(s: ReturnType<typeof step>): ResolvedSearch {
  if (s.action.kind !== 'search') throw new Error(`expected a search, got: ${JSON.stringify(s.action)}`);
  return s.action.search;
}

describe('conversation step', () => {
  it('searches stations at a shared location and remembers it', () => {
    const s = step(jiefangbei, {}, t0);
    expect(searchOf(s)).toEqual({
      target: 'stations', center: { lng: 106.5775, lat: 29.5582 }, label: null, limit: 5, guessed: false,
      amenities: [], hasSeats: false, openNow: false,
    });
    expect(s.state.remembered).toEqual({ center: { lng: 106.5775, lat: 29.5582 }, label: null, at: t0.getTime() });
  });

  it.each([
    ['商户', undefined],
    ['优惠', undefined],
    ['吃饭', '餐饮'],
  ])('answers %s after a location with merchants at the same spot', (follow, category) => {
    const { state } = step(jiefangbei, {}, t0);
    const s = searchOf(step(text(follow), state, later(MEMORY_MS - 1)));
    expect(s).toMatchObject({ target: 'merchants', center: { lng: 106.5775, lat: 29.5582 }, label: null });
    expect((s as MerchantSearch).category).toBe(category);
  });

  it('forgets the location after 10 minutes and asks for it again', () => {
    const { state } = step(jiefangbei, {}, t0);
    const s = step(text('商户'), state, later(MEMORY_MS));
    expect(s.action).toEqual({ kind: 'reply', text: '请先发送你的位置（「+」→「位置」），或带上地名，如「春熙路 优惠」。' });
  });

  it('does not extend the memory when a follow-up uses it', () => {
    const { state } = step(jiefangbei, {}, t0);
    const after = step(text('商户'), state, later(MEMORY_MS / 2));
    expect(after.state).toBe(state);
  });

  it('remembers a place name too, so "驿站 3公里" widens the last search', () => {
    const { state } = step(text('春熙路 吃饭'), {}, t0);
    expect(searchOf(step(text('驿站 3公里'), state, later(60_000)))).toMatchObject({
      target: 'stations', center: { place: '春熙路' }, label: '春熙路', radiusM: 3000,
    });
  });

  it('asks for a location when a bare keyword comes first', () => {
    const s = step(text('驿站'), {}, t0);
    expect(s.action).toEqual({ kind: 'reply', text: '请先发送你的位置（「+」→「位置」），或带上地名，如「驿站 沙坪坝」。' });
    expect(s.state).toEqual({});
  });

  it('leaves the state alone for help and hints', () => {
    const state: ConversationState = step(jiefangbei, {}, t0).state;
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
    expect(searchOf(step(jiefangbei, {}, t0, { limit: 3 })).limit).toBe(3);
  });
});

describe('conversation step: staff', () => {
  it('asks the runtime to bind a code sent in a private chat, leaving the state alone', () => {
    const { state } = step(jiefangbei, {}, t0);
    const s = step(text('绑定 k7m2-q9xa'), state, t0);
    expect(s).toEqual({ action: { kind: 'bind', code: 'K7M2Q9XA' }, state });
    expect(step(text('绑定 K7M2Q9XA'), {}, t0, {}, 'private').action).toEqual({ kind: 'bind', code: 'K7M2Q9XA' });
  });

  it.each(['绑定 K7M2Q9XA', '绑定', '绑定 12'])('refuses "%s" in a room without asking the runtime to bind', (t) => {
    expect(step(text(t), {}, t0, {}, 'room').action).toEqual({ kind: 'reply', text: '请私聊机器人完成绑定，不要在群里发送绑定码' });
  });

  it('explains the bind command when the code is missing or malformed', () => {
    expect(step(text('绑定 12'), {}, t0).action).toEqual({ kind: 'reply', text: '请发送「绑定」加小程序里生成的绑定码，如「绑定 K7M2Q9XA」（10 分钟内有效）。' });
  });

  it.each(['private', 'room'] as const)('asks the runtime who the sender is, in a %s chat', (chat) => {
    expect(step(text('我是谁'), {}, t0, {}, chat).action).toEqual({ kind: 'whoami' });
  });
});
