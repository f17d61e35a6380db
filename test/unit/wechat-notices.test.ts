import { noticeFor } from '../../src/modules/outbox/wechat-notices';

const event = (type: string, payload: Record<string, unknown>) => ({
  id: '6650a1b2c3d4e5f601234567', type, dedupeId: 'x', recipient: { kind: 'rider' as const, id: 'r' }, city: 'chongqing' as const,
  payload, createdAt: new Date('2026-11-25T04:00:00Z'),
});

describe('WeChat subscribe notices', () => {
  it('renders a hazard update with the category, the new status and the note, opening the report', () => {
    const n = noticeFor(event('hazard.updated', { reportId: 'abc', categoryName: '井盖缺失或破损', statusName: '处理中', note: '已派维修班组，今晚处理完毕，请注意绕行' }));
    expect(n).toEqual({
      kind: 'hazard',
      data: { thing1: '井盖缺失或破损', phrase2: '处理中', thing3: '已派维修班组，今晚处理完毕，请注意绕行', time4: '2026年11月25日 12:00' },
      page: 'pages/hazard/detail?id=abc',
    });
  });

  it('clips a long status to the five characters a phrase allows, and fills an empty note', () => {
    const n = noticeFor(event('hazard.updated', { reportId: 'abc', categoryName: '其他', statusName: '重复上报已合并处理', note: null }));
    expect([...(n?.data.phrase2 ?? '')].length).toBeLessThanOrEqual(5);
    expect(n?.data.thing3).toBe('详见小程序');
  });
});
