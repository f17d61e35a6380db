import categories from '../../config/hazard-categories.json';
import type { Hazard } from '../api-contract';
import { conversation, fail, type Answers } from '../testing/drive';
import { JIEFANGBEI, NEARBY_HAZARD } from '../testing/fixtures-flows';
import { matchCategory } from './flow-report';

const created: Hazard = { ...NEARBY_HAZARD, id: 'hz-9', supportCount: 0, description: '井盖坏了' };
const at = (over: Record<string, unknown> = {}) => ({ kind: 'location' as const, ...JIEFANGBEI, name: '解放碑', address: '民族路 188 号', ...over });
const photo = (bytes = 1000) => ({ kind: 'image' as const, bytes: new Uint8Array(bytes), mimeType: 'image/jpeg' });
const base: Answers = { hazardCategories: categories, nearbyHazards: [], createHazard: created };

describe('随手拍: a guided hazard report', () => {
  it('lists the service\'s categories, then takes a number, a location, a photo and a confirmation', () => {
    const c = conversation(base);
    const list = c.send('上报');
    expect(list.split('\n')[0]).toBe('随手拍：这是什么隐患？回复序号，或直接说说（如「井盖坏了」）：');
    expect(list).toContain('\n1. 井盖缺失或破损\n2. 道路坑洼\n');
    expect(list).toContain(`\n${categories.length}. 其他\n`);
    expect(c.send('1')).toBe('类别：井盖缺失或破损。请发送隐患所在的位置（「+」→「位置」）；发「取消」退出上报。');
    expect(c.send(at())).toBe('请拍一张照片发给我（可选），没有照片就回复「跳过」。');
    expect(c.send(photo())).toBe([
      '请确认上报：', '类别：井盖缺失或破损', '位置：民族路 188 号', '说明：井盖缺失或破损', '照片：1 张',
      '回复「确认」提交，「取消」放弃；想补充说明就直接发文字。',
    ].join('\n'));
    expect(c.send('确认')).toBe('已上报「井盖缺失或破损」，已转给渝中区城管局。处理进展会发消息通知你；发「我的上报」查看。谢谢你！');
    expect(c.requests.map((r) => r.op)).toEqual(['hazardCategories', 'nearbyHazards', 'createHazard']);
    expect(c.requests[1]).toEqual({ op: 'nearbyHazards', category: 'manhole', ...JIEFANGBEI });
    expect(c.requests[2]).toEqual({ op: 'createHazard', report: {
      category: 'manhole', description: '井盖缺失或破损', ...JIEFANGBEI, address: '民族路 188 号', photo: { bytes: new Uint8Array(1000), mimeType: 'image/jpeg' },
    } });
    expect(c.state.report).toBeUndefined();
  });

  it('reads the category from free text, which also becomes the description', () => {
    const c = conversation(base);
    c.send('上报');
    expect(c.send('路灯不亮了，黑灯瞎火')).toBe('类别：路灯故障。请发送隐患所在的位置（「+」→「位置」）；发「取消」退出上报。');
    c.send(at());
    c.send('跳过');
    expect(c.send('好的')).toMatch(/^已上报「/);
    expect(c.requests.at(-1)).toMatchObject({ report: { category: 'streetlight', description: '路灯不亮了，黑灯瞎火' } });
    expect(c.requests.at(-1)).not.toHaveProperty('report.photo');
  });

  it('takes the category with the command: 「随手拍 井盖坏了」 asks for the location at once', () => {
    const c = conversation(base);
    expect(c.send('随手拍 井盖坏了')).toBe('类别：井盖缺失或破损。请发送隐患所在的位置（「+」→「位置」）；发「取消」退出上报。');
  });

  it('offers a nearby open report of the same category to support instead', () => {
    const c = conversation({ ...base, nearbyHazards: [NEARBY_HAZARD], supportHazard: { ...NEARBY_HAZARD, supportCount: 3 } });
    c.send('随手拍 井盖坏了');
    expect(c.send(at())).toBe([
      '附近已有同类上报：「井盖缺失或破损」民族路 188 号门口，20米外，已提交，2 人支持。',
      '说明：井盖破裂，电动车差点掉进去',
      '回复 1 支持这条（进展会通知你），2 仍然上报。',
    ].join('\n'));
    expect(c.send('1')).toBe('已支持这条上报（现在 3 人支持），处理进展会发消息通知你。');
    expect(c.requests.map((r) => r.op)).toEqual(['hazardCategories', 'nearbyHazards', 'supportHazard']);
    expect(c.requests[2]).toEqual({ op: 'supportHazard', hazardId: 'hz-1' });
    expect(c.state.report).toBeUndefined();
  });

  it('says a report at the very spot is right there', () => {
    const c = conversation({ ...base, nearbyHazards: [{ ...NEARBY_HAZARD, distanceM: 3 }] });
    c.send('随手拍 井盖坏了');
    expect(c.send(at())).toMatch(/^附近已有同类上报：「井盖缺失或破损」民族路 188 号门口，就在附近，已提交/);
  });

  it('reports anyway on 「2」', () => {
    const c = conversation({ ...base, nearbyHazards: [NEARBY_HAZARD] });
    c.send('随手拍 井盖坏了');
    c.send(at());
    expect(c.send('2')).toBe('请拍一张照片发给我（可选），没有照片就回复「跳过」。');
  });

  it('starts from a photo: the photo is kept and no photo is asked for later', () => {
    const c = conversation(base);
    expect(c.send(photo())).toMatch(/^收到照片。这是什么隐患？/);
    c.send('2');
    expect(c.send(at())).toMatch(/^请确认上报：\n类别：道路坑洼\n.*\n.*\n照片：1 张/);
  });

  it('adds text sent at the confirmation to the description, and asks again', () => {
    const c = conversation(base);
    c.send('随手拍 井盖坏了');
    c.send(at());
    c.send('跳过');
    expect(c.send('在东口，晚上很危险')).toContain('说明：井盖坏了；在东口，晚上很危险');
    c.send('确认');
    expect(c.requests.at(-1)).toMatchObject({ report: { description: '井盖坏了；在东口，晚上很危险' } });
  });

  it('takes no stray number for a description', () => {
    const c = conversation(base);
    c.send('随手拍 井盖坏了');
    c.send(at());
    expect(c.send('1')).toBe('请发送照片，或回复「跳过」；发「取消」退出上报。');
    c.send('跳过');
    expect(c.send('2')).toContain('说明：井盖坏了\n');
  });

  it('asks for a location message when text comes instead, and refuses a point outside both cities', () => {
    const c = conversation(base);
    c.send('随手拍 井盖坏了');
    expect(c.send('民族路188号')).toBe('请发送隐患所在的位置（「+」→「位置」），文字地址无法定位；发「取消」退出上报。');
    expect(c.send(at({ lng: 116.4, lat: 39.9 }))).toBe('你发送的位置不在服务范围内：暖新助手目前只覆盖重庆和成都。');
    expect(c.state.report?.stage).toBe('location');
  });

  it('asks again when the text names no category, but lets a clear search through', () => {
    const c = conversation({ ...base, stations: { data: [], meta: { radius: 1000, count: 0, place: null } } });
    c.send('上报');
    expect(c.send('嗯嗯')).toMatch(/^没认出是哪类隐患，请回复序号：\n1\. 井盖缺失或破损/);
    expect(c.send('驿站 解放碑')).toMatch(/没有找到暖新驿站/);
    expect(c.state.report).toBeUndefined();
  });

  it('refuses a photo over 5 MB before anything is sent', () => {
    const c = conversation(base);
    c.send('随手拍 井盖坏了');
    c.send(at());
    expect(c.send(photo(5 * 1024 * 1024 + 1))).toBe('照片太大了（最多 5 MB），请换一张，或回复「跳过」。');
  });

  it('keeps the draft when the service refuses it, so the rider can try again or cancel', () => {
    const c = conversation({ ...base, createHazard: fail(422, '照片无法识别：只支持 JPEG、PNG 或 WebP') });
    c.send('随手拍 井盖坏了');
    c.send(at());
    c.send(photo());
    expect(c.send('确认')).toBe('照片无法识别：只支持 JPEG、PNG 或 WebP\n回复「确认」再试一次，或「取消」放弃。');
    expect(c.state.report?.stage).toBe('confirm');
    expect(c.send('取消')).toBe('已取消。');
    expect(c.state.report).toBeUndefined();
    expect(c.send('取消')).toBe('现在没有进行中的操作。发送「帮助」查看用法。');
  });

  it('forgets a report left for half an hour', () => {
    const c = conversation({ ...base, stations: { data: [], meta: { radius: 1000, count: 0, place: null } } });
    c.send('随手拍 井盖坏了');
    c.later(30 * 60_000);
    expect(c.send({ kind: 'location', ...JIEFANGBEI })).toMatch(/没有找到暖新驿站/);
  });

  it('says to report in private when asked in a room', () => {
    const c = conversation(base, { chat: 'room' });
    expect(c.send('随手拍')).toBe('请私聊我上报隐患（需要发送位置和照片，群里不方便）：私聊发送「上报」即可。');
    expect(c.requests).toEqual([]);
  });
});

describe('我的上报', () => {
  it('lists the rider\'s reports, newest first, with status and a rejection\'s reason', () => {
    const older = { ...NEARBY_HAZARD, createdAt: '2025-05-20T02:00:00.000Z', status: 'rejected', statusName: '不受理', rejectReason: '不属于本单位职责' };
    const c = conversation({ myHazards: [older, created] });
    expect(c.send('我的上报')).toBe([
      '你上报和关注的隐患：',
      '1. 井盖缺失或破损 · 已提交 · 0 人支持', '   5月31日 · 民族路 188 号门口',
      '2. 井盖缺失或破损 · 不受理：不属于本单位职责 · 2 人支持', '   5月20日 · 民族路 188 号门口',
    ].join('\n'));
  });

  it('says how to start when there are none', () => {
    expect(conversation({ myHazards: [] }).send('我的上报')).toBe('你还没有上报过隐患。发送「上报」或「随手拍」开始。');
  });
});

describe('matchCategory', () => {
  it.each([
    ['井盖坏了', 'manhole'], ['路上有个大坑', 'pothole'], ['下穿道积水很深', 'flooding'], ['红绿灯不亮', 'traffic_signal'],
    ['楼道里飞线充电', 'ebike_charging'], ['消防通道被堵了', 'fire_lane'], ['广告牌松了要掉下来', 'falling_object'],
  ])('reads %s as %s with the service\'s keywords', (text, code) => {
    expect(matchCategory(text, categories)?.code).toBe(code);
  });

  it('matches nothing for text without a keyword', () => {
    expect(matchCategory('今天天气不错', categories)).toBeNull();
  });
});
