import { formatNotice } from './format-notices';

const compoundName = '龙湖春森彼岸';

describe('formatNotice', () => {
  it.each([
    ['an approval with the pass end in Beijing time', 'access.approved',
      { requestId: 'r1', compoundName, passId: 'p1', validTo: '2026-12-25T04:00:00.000Z', reason: null },
      '你进入「龙湖春森彼岸」的申请已通过，通行证有效至12月25日 12:00。发送「我的通行码」获取进门码。'],
    ['a denial with its reason', 'access.denied', { compoundName, reason: '本小区暂不对外卖骑手开放' },
      '你进入「龙湖春森彼岸」的申请未通过：本小区暂不对外卖骑手开放。'],
    ['a denial without a reason', 'access.denied', { compoundName, reason: null }, '你进入「龙湖春森彼岸」的申请未通过。'],
    ['a revoked pass', 'pass.revoked', { compoundName, reason: '多次违规停车' },
      '你在「龙湖春森彼岸」的通行证已被撤销：多次违规停车。如有疑问请联系小区物业。'],
    ['a pass about to expire', 'pass.expiring', { compoundName, validTo: '2026-11-26T15:30:00.000Z' },
      '你在「龙湖春森彼岸」的通行证将于11月26日 23:30到期。如需继续进出，请发送「进小区 龙湖春森彼岸」重新申请。'],
    ['a new request for a manager, with unmet rules', 'access.requested',
      { requestId: 'r1', compoundName, riderName: '王师傅', durationDays: 30, unmet: ['准时率需不低于 95%', '需连续从业至少 30 天'] },
      '新的进小区申请：骑手王师傅申请进入「龙湖春森彼岸」30天。未满足的条件：准时率需不低于 95%；需连续从业至少 30 天。发送「待审批」查看并处理。'],
    ['a new request meeting every rule', 'access.requested', { compoundName, riderName: '王师傅', durationDays: 7, unmet: [] },
      '新的进小区申请：骑手王师傅申请进入「龙湖春森彼岸」7天。发送「待审批」查看并处理。'],
    ['an update of the rider\'s own report with a note', 'hazard.updated',
      { reportId: 'h1', categoryName: '井盖缺失', statusName: '处理中', note: '已通知市政', address: '渝中区民族路1号', duplicateOf: null, mine: true },
      '你上报的「井盖缺失」（渝中区民族路1号）有新进展：处理中。说明：已通知市政。发送「我的上报」查看。'],
    ['a supported report marked a duplicate', 'hazard.updated',
      { reportId: 'h2', categoryName: '占道经营', statusName: '重复上报', note: null, address: null, duplicateOf: 'h1', mine: false },
      '你关注的「占道经营」有新进展：重复上报，已合并到同一地点的另一条上报。发送「我的上报」查看。'],
  ])('words %s', (_name, type, payload, expected) => {
    expect(formatNotice({ type, payload })).toBe(expected);
  });

  it('stays quiet about types it does not know, even inherited names', () => {
    expect(formatNotice({ type: 'report.exported', payload: {} })).toBeNull();
    expect(formatNotice({ type: 'toString', payload: {} })).toBeNull();
  });

  it('survives a payload missing its fields', () => {
    expect(formatNotice({ type: 'access.approved', payload: { validTo: 'not a time' } })).toBe('你进入「小区」的申请已通过。发送「我的通行码」获取进门码。');
  });
});
