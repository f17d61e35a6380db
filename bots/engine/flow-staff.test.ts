import type { AccessRequest, Me, StationDetail } from '../api-contract';
import { conversation, fail } from '../testing/drive';
import { STATIONS } from '../testing/fixtures';
import { COMPOUNDS } from '../testing/fixtures-flows';

const me = (role: string, holdings: Partial<NonNullable<Me['holdings']>> | null): Me => ({
  id: 'u1', role, displayName: '张师傅', city: 'chongqing',
  holdings: holdings && { stationIds: [], merchantIds: [], compoundIds: [], bodyIds: [], ...holdings },
});
const detail = (i: number, over: Partial<StationDetail> = {}): StationDetail => ({ ...STATIONS[i]!, ...over });
const pendingRequest = (id: string, name: string): AccessRequest => ({
  id, compoundId: 'cp-1', compoundName: '幸福里', rider: { displayName: name, platform: '美团', maskedPhone: '138****1234' },
  reason: '午高峰送餐', durationDays: 30, status: 'pending', decisionNote: null, overdue: id === 'r2', createdAt: '2025-06-01T03:00:00.000Z',
});

describe('operators: seats and open/closed', () => {
  it('reports free seats for the only station', () => {
    const c = conversation({ me: me('station_operator', { stationIds: ['st-1'] }), setOccupancy: detail(0, { available: 5 }) });
    expect(c.send('空位 5')).toBe('已更新：【演示】解放碑暖新驿站 空位 5/10，骑手查询时马上能看到。');
    expect(c.requests).toEqual([{ op: 'me' }, { op: 'setOccupancy', stationId: 'st-1', available: 5 }]);
  });

  it('asks which station when the operator runs several, and remembers the change for the number', () => {
    const c = conversation({
      me: me('station_operator', { stationIds: ['st-1', 'st-2'] }), stationsById: [detail(0), detail(1)], setOccupancy: detail(1, { available: 0 }),
    });
    expect(c.send('满员')).toBe([
      '您管理多个驿站，是哪一个？', '1. 【演示】解放碑暖新驿站（空位 3/10）', '2. 【演示】较场口暖新驿站（空位未知）', '请回复序号，如「1」。',
    ].join('\n'));
    expect(c.send('2')).toBe('已更新：【演示】较场口暖新驿站 空位 0/6，骑手查询时马上能看到。');
    expect(c.requests.at(-1)).toEqual({ op: 'setOccupancy', stationId: 'st-2', available: 0 });
  });

  it('pauses with the reason and reopens', () => {
    const c = conversation({
      me: me('station_operator', { stationIds: ['st-3'] }),
      setStatus: ({ status, note }) => detail(2, { status, statusNote: note }),
    });
    expect(c.send('暂停开放 停电检修')).toBe('已设为暂停开放：【演示】洪崖洞暖新驿站（停电检修）。恢复时发「恢复开放」。');
    expect(c.requests.at(-1)).toEqual({ op: 'setStatus', stationId: 'st-3', status: 'temporarily_closed', note: '停电检修' });
    expect(c.send('恢复开放')).toBe('已更新：【演示】洪崖洞暖新驿站（空位未知）。');
    expect(c.requests.at(-1)).toEqual({ op: 'setStatus', stationId: 'st-3', status: 'open', note: null });
  });

  it('passes on the service\'s refusal of a count over the capacity', () => {
    const c = conversation({ me: me('station_operator', { stationIds: ['st-1'] }), setOccupancy: fail(422, '座位数须在 0 到 10 之间') });
    expect(c.send('空位 50')).toBe('座位数须在 0 到 10 之间');
  });

  it('tells a rider how staff are recognised, and a staff member holding no station that it has none', () => {
    expect(conversation({ me: me('rider', null) }).send('空位 5')).toBe('这是工作人员的命令。工作人员请先在小程序生成绑定码，再私聊我发送「绑定 绑定码」。');
    expect(conversation({ me: me('property_manager', { compoundIds: ['cp-1'] }) }).send('满员')).toBe('您的账号没有管理的驿站，不能使用这个命令。');
  });

  it('explains 「空位」 without a number, and keeps staff commands out of rooms', () => {
    expect(conversation({}).send('空位')).toBe('请发送「空位」加现在的空座数，如「空位 5」；坐满了发「满员」。');
    const room = conversation({}, { chat: 'room' });
    expect(room.send('空位 5')).toBe('为保护隐私，这个只在私聊里回复：请私聊我发送「空位 5」。');
    expect(room.requests).toEqual([]);
  });
});

describe('property managers: approvals', () => {
  const list = [pendingRequest('r1', '小王'), pendingRequest('r2', '小李')];

  it('lists pending requests numbered, and 「同意 2」 approves the second', () => {
    const c = conversation({
      pendingRequests: list,
      approve: ({ requestId }) => ({ request: { ...list.find((r) => r.id === requestId)!, status: 'approved' }, pass: { id: 'p', number: 129, compoundId: 'cp-1', compoundName: '幸福里', validFrom: '2025-06-01T04:00:00.000Z', validTo: '2025-07-01T04:00:00.000Z', status: 'active', current: true } }),
    });
    expect(c.send('待审批')).toBe([
      '待审批的进入申请：',
      '1. 小王，美团 138****1234 申请进「幸福里」30 天：午高峰送餐',
      '2. 小李，美团 138****1234 申请进「幸福里」30 天：午高峰送餐（已超时）',
      '回复「同意 1」批准，「拒绝 1 原因」拒绝（原因骑手能看到）。',
    ].join('\n'));
    expect(c.send('同意 2')).toBe('已批准 小李 进入「幸福里」，通行证 No.129 有效至7月1日。骑手会收到通知。');
    expect(c.requests.at(-1)).toEqual({ op: 'approve', requestId: 'r2' });
  });

  it('denies with the reason the rider will read, and asks for one when missing', () => {
    const c = conversation({ pendingRequests: list, deny: ({ requestId, reason }) => ({ ...list.find((r) => r.id === requestId)!, status: 'denied', decisionNote: reason }) });
    c.send('待审批');
    expect(c.send('拒绝 1')).toBe('请写明拒绝的原因（骑手能看到），如「拒绝 1 不是本小区的配送员」。');
    expect(c.send('拒绝 1 不是本小区的配送员')).toBe('已拒绝 小王 进入「幸福里」的申请，原因：不是本小区的配送员。骑手会收到通知。');
    expect(c.requests.at(-1)).toEqual({ op: 'deny', requestId: 'r1', reason: '不是本小区的配送员' });
  });

  it('names the rider from the list when the service\'s answer does not', () => {
    const c = conversation({ pendingRequests: list, approve: { request: { ...list[0]!, rider: null, status: 'approved' }, pass: null } });
    c.send('待审批');
    expect(c.send('同意 1')).toBe('已批准 小王 进入「幸福里」。骑手会收到通知。');
  });

  it('accepts a request id in full without a list', () => {
    const c = conversation({ approve: { request: { ...list[0]!, status: 'approved' }, pass: null } });
    c.send('同意 6650a1b2c3d4e5f601234567');
    expect(c.requests).toEqual([{ op: 'approve', requestId: '6650a1b2c3d4e5f601234567' }]);
  });

  it('asks for the list first when a number refers to none, or to an old one', () => {
    const c = conversation({ pendingRequests: list });
    expect(c.send('同意 1')).toBe('请先发「待审批」查看列表，再回复「同意 序号」，如「同意 1」。');
    c.send('待审批');
    expect(c.send('同意 3')).toBe('请先发「待审批」查看列表，再回复「同意 序号」，如「同意 1」。');
    c.later(30 * 60_000);
    expect(c.send('拒绝 1 满了')).toBe('请先发「待审批」查看列表，再回复「拒绝 序号」，如「拒绝 1」。');
  });

  it('says who may approve when the service refuses the sender', () => {
    expect(conversation({ pendingRequests: fail(403, '权限不足') }).send('待审批')).toBe('只有小区物业或城市管理员可以审批进入申请。');
  });

  it('says when nothing waits, and never lists in a room', () => {
    expect(conversation({ pendingRequests: [] }).send('待审批')).toBe('目前没有待审批的进入申请。');
    expect(conversation({}, { chat: 'room' }).send('待审批')).toBe('为保护隐私，这个只在私聊里回复：请私聊我发送「待审批」。');
  });
});

describe('gate guards: checking codes', () => {
  const allowed = { allowed: true, reason: 'ok', message: '允许进入', rider: { displayName: '小李', platform: '饿了么', maskedPhone: '139****5678' }, pass: { id: 'p', number: 128, validTo: '2025-06-30T16:00:00.000Z' } };
  const guard = me('gate_guard', { compoundIds: ['cp-2'] });

  it('checks at the only gate of the only compound, and remembers it', () => {
    const c = conversation({ me: guard, compound: COMPOUNDS[1]!, verifyGate: allowed });
    expect(c.send('核验 128 405 9371')).toBe('【演示】渝中区幸福里 2期 东门：【允许进入】小李 饿了么 139****5678，通行证 No.128');
    expect(c.requests).toEqual([{ op: 'me' }, { op: 'compound', id: 'cp-2' }, { op: 'verifyGate', compoundId: 'cp-2', gateId: 'east', code: '1284059371' }]);
    c.send('1284059372');
    expect(c.requests.slice(3)).toEqual([{ op: 'verifyGate', compoundId: 'cp-2', gateId: 'east', code: '1284059372' }]);
  });

  it('asks which gate when the compound has several, then checks the code given first', () => {
    const c = conversation({ me: me('gate_guard', { compoundIds: ['cp-1'] }), compound: COMPOUNDS[0]!, verifyGate: allowed });
    expect(c.send('核验 1284059371')).toBe('您在「【演示】渝中区幸福里」的哪个门？（选一次，之后的核验都用这个门；换门发「换门」）\n1. 东门\n2. 南门\n请回复序号，如「1」。');
    expect(c.send('2')).toMatch(/^【演示】渝中区幸福里 南门：【允许进入】/);
    expect(c.requests.at(-1)).toEqual({ op: 'verifyGate', compoundId: 'cp-1', gateId: 'south', code: '1284059371' });
    expect(c.send('换门')).toBe('好的，下次核验时会重新选择小区和门。');
    c.send('核验 1284059371');
    expect(c.requests.at(-1)).toEqual({ op: 'compound', id: 'cp-1' });
  });

  it('asks which compound when the guard holds several', () => {
    const c = conversation({ me: me('gate_guard', { compoundIds: ['cp-1', 'cp-2'] }), compoundsById: [COMPOUNDS[0]!, COMPOUNDS[1]!], compound: COMPOUNDS[1]!, verifyGate: allowed });
    expect(c.send('核验 1284059371')).toBe('您在哪个小区核验？\n1. 【演示】渝中区幸福里\n2. 【演示】渝中区幸福里 2期\n请回复序号，如「1」。');
    expect(c.send('2')).toMatch(/^【演示】渝中区幸福里 2期 东门：【允许进入】/);
  });

  it('says why a code is refused', () => {
    const c = conversation({ me: guard, compound: COMPOUNDS[1]!, verifyGate: { allowed: false, reason: 'wrong_code', message: '动态码不对或已过期，请让骑手刷新后重试', rider: null, pass: null } });
    expect(c.send('核验 1284059370')).toBe('【演示】渝中区幸福里 2期 东门：【不能进入】动态码不对或已过期，请让骑手刷新后重试');
  });

  it('takes a bare code from a guard, and tells a rider to show it instead', () => {
    expect(conversation({ me: guard, compound: COMPOUNDS[1]!, verifyGate: allowed }).send('128 405 9371')).toMatch(/【允许进入】/);
    expect(conversation({ me: me('rider', null) }).send('128 405 9371')).toBe('这是通行码吗？请直接给门岗看，不要发给别人。查看自己的通行码请发「我的通行码」。');
  });

  it('refuses a code sent in a room without calling the service', () => {
    const c = conversation({}, { chat: 'room' });
    expect(c.send('核验 1284059371')).toBe('请不要在群里发送通行码：群里的人都能看到。请私聊我。');
    expect(c.send('1284059371')).toBe('请不要在群里发送通行码：群里的人都能看到。请私聊我。');
    expect(c.requests).toEqual([]);
  });

  it('forgets a gate the service no longer lets the guard use', () => {
    const c = conversation({ me: guard, compound: COMPOUNDS[1]!, verifyGate: fail(403, '权限不足') });
    expect(c.send('核验 1284059371')).toBe('只有本小区的门岗可以核验通行码。');
    expect(c.state.gate).toBeUndefined();
  });
});
