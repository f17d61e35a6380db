import type { AccessOutcome, Pass } from '../api-contract';
import { conversation, fail } from '../testing/drive';
import { COMPOUNDS } from '../testing/fixtures-flows';

const pass: Pass = {
  id: 'pass-1', number: 128, compoundId: 'cp-1', compoundName: '幸福里', validFrom: '2025-05-01T00:00:00.000Z',
  validTo: '2025-06-30T16:00:00.000Z', hours: [{ open: '07:00', close: '23:00' }], status: 'active', current: true, revokeReason: null,
};
const request = (over: Partial<AccessOutcome['request']> = {}): AccessOutcome['request'] => ({
  id: 'req-1', compoundId: 'cp-1', compoundName: '幸福里', rider: null, reason: null, durationDays: 30, status: 'pending',
  decisionNote: null, overdue: false, createdAt: '2025-06-01T04:00:00.000Z', ...over,
});
const found = (ids: string[]) => COMPOUNDS.filter((c) => ids.includes(c.id));

describe('进小区', () => {
  it('asks for access at once when one compound matches', () => {
    const c = conversation({ findCompounds: found(['cp-3']), requestAccess: { request: request({ compoundName: '龙湖香醍漫步' }), pass: null, unmet: [] } });
    expect(c.send('进小区 龙湖')).toBe('已向「龙湖香醍漫步」物业提交进入申请（30 天），审批后我会发消息通知你。');
    expect(c.requests).toEqual([{ op: 'findCompounds', q: '龙湖' }, { op: 'requestAccess', compoundId: 'cp-3' }]);
  });

  it('offers numbered choices when several match, and the next number picks one', () => {
    const c = conversation({ findCompounds: found(['cp-1', 'cp-2']), requestAccess: { request: request(), pass, unmet: [] } });
    expect(c.send('进小区 幸福里')).toBe([
      '找到多个小区，是哪一个？',
      '1. 【演示】渝中区幸福里（渝中区演示大道1号）',
      '2. 【演示】渝中区幸福里 2期（渝中区演示大道11号）',
      '请回复序号，如「1」。',
    ].join('\n'));
    expect(c.send('2')).toBe('你已有「幸福里」的通行证 No.128，有效至7月1日，每天 07:00-23:00 可进。\n进门时发送「我的通行码」，把通行码给门岗看。');
    expect(c.requests.at(-1)).toEqual({ op: 'requestAccess', compoundId: 'cp-2' });
    expect(c.state.choice).toBeUndefined();
  });

  it('asks again for a number out of range, and forgets the list after 10 minutes', () => {
    const c = conversation({ findCompounds: found(['cp-1', 'cp-2']) });
    c.send('进小区 幸福里');
    expect(c.send('3')).toMatch(/^请回复 1 到 2 之间的序号：\n1\. /);
    c.later(10 * 60_000);
    expect(c.send('1')).toBe('没有可以选择的列表了（可能已超过 10 分钟），请重新发送命令。');
  });

  it('drops the choice when another command comes', () => {
    const c = conversation({ findCompounds: found(['cp-1', 'cp-2']), myHazards: [] });
    c.send('进小区 幸福里');
    c.send('我的上报');
    expect(c.send('1')).toMatch(/^没有可以选择的列表了/);
  });

  it('says what was not found and how to ask', () => {
    const c = conversation({ findCompounds: [] });
    expect(c.send('进小区 火星花园')).toBe('没有找到「火星花园」。换个小区名或地址试试，如「进小区 幸福里」。');
    expect(c.send('进小区')).toBe('请发送「进小区」加小区名或地址，如「进小区 幸福里」。');
  });

  it('gives the refusal and its reason for a compound closed to riders', () => {
    const c = conversation({ findCompounds: found(['cp-4']), requestAccess: { request: request({ compoundName: '融创白象街', status: 'denied', decisionNote: '本小区暂不对骑手开放' }), pass: null, unmet: [] } });
    expect(c.send('进小区 白象街')).toBe('「融创白象街」没有通过你的申请：本小区暂不对骑手开放');
  });

  it('names the rules still unmet on a pending request', () => {
    const c = conversation({ findCompounds: found(['cp-3']), requestAccess: { request: request({ compoundName: '龙湖香醍漫步' }), pass: null, unmet: ['需要绑定手机号'] } });
    expect(c.send('进小区 龙湖')).toContain('\n还需要满足：需要绑定手机号');
  });

  it('in a room says to ask in private, without calling the service', () => {
    const c = conversation({}, { chat: 'room' });
    expect(c.send('进小区 幸福里')).toBe('为保护隐私，这个只在私聊里回复：请私聊我发送「进小区 幸福里」。');
    expect(c.requests).toEqual([]);
  });

  it('passes on the service\'s refusal of a staff account asking for access', () => {
    const c = conversation({ findCompounds: found(['cp-3']), requestAccess: fail(403, '权限不足：需要骑手账号') });
    expect(c.send('进小区 龙湖')).toBe('权限不足：需要骑手账号');
  });
});

describe('我的通行码', () => {
  it('gives each current code grouped as the guard types it, with the seconds left', () => {
    const c = conversation({ currentCodes: [{ pass, code: { code: '1284059371', display: '128 405 9371', expiresInSeconds: 17 } }] });
    expect(c.send('我的通行码')).toBe('「幸福里」通行码：128 405 9371（17 秒后换新码，旧码仍可再用 30 秒）\n请把通行码给门岗看；过期了再发「我的通行码」。');
  });

  it('says how to get a pass when there is none', () => {
    expect(conversation({ currentCodes: [] }).send('我的通行码')).toBe('你还没有有效的通行证。发送「进小区 小区名」申请，如「进小区 幸福里」。');
  });

  it('never shows a code in a room', () => {
    const c = conversation({}, { chat: 'room' });
    expect(c.send('我的通行码')).toBe('为保护隐私，这个只在私聊里回复：请私聊我发送「我的通行码」。');
    expect(c.requests).toEqual([]);
  });
});

describe('a place code sent as text', () => {
  const scan = { compoundId: 'cp-1', compoundName: '幸福里', gateId: 'east', notes: '走东门' };

  it('shows the pass for the compound', () => {
    const c = conversation({ scanPlaceCode: { ...scan, request: null, pass, unmet: [] } });
    expect(c.send('k3m9p7qx-east')).toBe('「幸福里」（EAST 门）\n你已有「幸福里」的通行证 No.128，有效至7月1日，每天 07:00-23:00 可进。\n进门时发送「我的通行码」，把通行码给门岗看。\n进门提示：走东门');
    expect(c.requests).toEqual([{ op: 'scanPlaceCode', code: 'K3M9P7QX-EAST' }]);
  });

  it('starts a request when there is no pass', () => {
    const c = conversation({ scanPlaceCode: { ...scan, request: request(), pass: null, unmet: [] } });
    expect(c.send('K3M9P7QX-EAST')).toContain('已向「幸福里」物业提交进入申请');
  });

  it('says an unknown code is unknown', () => {
    expect(conversation({ scanPlaceCode: fail(404, '场所码不存在，请核对门上的码') }).send('K3M9P7QX-WEST')).toBe('场所码不存在，请核对门上的码');
  });
});
