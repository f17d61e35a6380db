import { OTHER_STAFF, STAFF } from '../testing/fixtures';
import { formatBound, formatStaffError, formatWhoAmI, staffLabel } from './format-staff';

describe('staff replies', () => {
  it('confirms a bind with the name, role and city', () => {
    expect(formatBound(STAFF)).toBe('绑定成功：张师傅（驿站运营方，重庆）。以后在这里发消息，机器人会认出您。');
  });

  it.each([
    ['city_admin', 'chengdu', '王主任（市级管理员，成都）'],
    ['merchant_owner', 'chongqing', '王主任（商户，重庆）'],
    ['property_manager', 'chengdu', '王主任（物业，成都）'],
    ['gate_guard', 'chongqing', '王主任（门岗，重庆）'],
    ['rider', 'chongqing', '王主任（骑手，重庆）'],
    ['auditor', 'xian', '王主任（工作人员，xian）'],
    ['city_admin', null, '王主任（市级管理员）'],
  ])('labels role %s in %s', (role, city, label) => {
    expect(staffLabel({ ...STAFF, role, city, displayName: '王主任' })).toBe(label);
  });

  it('falls back to the username when there is no display name', () => {
    expect(staffLabel({ ...STAFF, displayName: '' })).toBe('zhang（驿站运营方，重庆）');
  });

  it('answers "我是谁" with what the account manages', () => {
    expect(formatWhoAmI(STAFF)).toBe('您是：张师傅（驿站运营方，重庆），管理 3 个驿站');
    expect(formatWhoAmI(OTHER_STAFF)).toBe('您是：李经理（物业，成都），管理 2 个小区');
    expect(formatWhoAmI({ ...STAFF, holdings: { stationIds: ['a'], merchantIds: ['b', 'c'], compoundIds: [], bodyIds: [] } }))
      .toBe('您是：张师傅（驿站运营方，重庆），管理 1 个驿站、2 家商户');
    expect(formatWhoAmI({ ...STAFF, role: 'city_admin', holdings: { stationIds: [], merchantIds: [], compoundIds: [], bodyIds: [] } }))
      .toBe('您是：张师傅（市级管理员，重庆）');
  });

  it('tells an unbound contact that riders need no binding', () => {
    expect(formatWhoAmI(null)).toBe('您还没有绑定工作人员账号；骑手无需绑定，直接发送位置即可找驿站。');
  });

  it.each([
    [410, '绑定码已使用或已过期，请重新生成', '绑定码已使用或已过期，请在小程序里重新生成'],
    [401, '需要服务凭证（x-bot-token）', '机器人未正确配置，请联系管理员'],
    [404, '绑定码不存在', '绑定码不存在'],
    [409, '该微信已绑定其他工作人员账号', '该微信已绑定其他工作人员账号'],
    [0, '服务暂时不可用，请稍后再试', '服务暂时不可用，请稍后再试'],
  ])('answers a %d with the right message', (status, message, reply) => {
    expect(formatStaffError({ status, message })).toBe(reply);
  });
});
