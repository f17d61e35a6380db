import { parseCommand, passCodeDigits } from './parse-commands';
import { parseIntent } from './parse-intent';

describe('parseCommand', () => {
  it.each([
    ['进小区 幸福里', { kind: 'enter', query: '幸福里' }],
    ['进小区幸福里', { kind: 'enter', query: '幸福里' }],
    ['进小区：龙湖香醍漫步', { kind: 'enter', query: '龙湖香醍漫步' }],
    ['进小去 幸福里', { kind: 'enter', query: '幸福里' }],
    ['找小区 幸福里', { kind: 'enter', query: '幸福里' }],
    ['　进小区　　幸福里　', { kind: 'enter', query: '幸福里' }],
    ['进小区', { kind: 'enter', query: null }],
    ['我的通行码', { kind: 'myCode' }],
    ['我的 通行码！', { kind: 'myCode' }],
    ['我的通信码', { kind: 'myCode' }],
    ['通行码', { kind: 'myCode' }],
    ['K3M9P7QX-EAST', { kind: 'placeCode', code: 'K3M9P7QX-EAST' }],
    ['k3m9p7qx east', { kind: 'placeCode', code: 'K3M9P7QX-EAST' }],
    ['Ｋ３Ｍ９Ｐ７ＱＸ－ＥＡＳＴ', { kind: 'placeCode', code: 'K3M9P7QX-EAST' }],
    ['NXG:K3M9P7QX-EAST', { kind: 'placeCode', code: 'K3M9P7QX-EAST' }],
    ['https://nx.example.cn/g/K3M9P7QX-EAST', { kind: 'placeCode', code: 'K3M9P7QX-EAST' }],
    ['上报', { kind: 'report', text: null }],
    ['随手拍', { kind: 'report', text: null }],
    ['随手拍 井盖坏了', { kind: 'report', text: '井盖坏了' }],
    ['我的上报', { kind: 'myReports' }],
    ['空位 5', { kind: 'seats', available: 5 }],
    ['空位5', { kind: 'seats', available: 5 }],
    ['空位 5 个', { kind: 'seats', available: 5 }],
    ['空位　５', { kind: 'seats', available: 5 }],
    ['还剩3个空位', { kind: 'seats', available: 3 }],
    ['空位', { kind: 'seats', available: null }],
    ['满员', { kind: 'seats', available: 0 }],
    ['满了', { kind: 'seats', available: 0 }],
    ['暂停开放 停电检修', { kind: 'pause', note: '停电检修' }],
    ['暂停开放', { kind: 'pause', note: null }],
    ['恢复开放', { kind: 'reopen' }],
    ['待审批', { kind: 'pending' }],
    ['代审批', { kind: 'pending' }],
    ['同意 12', { kind: 'approve', ref: 12 }],
    ['同意12', { kind: 'approve', ref: 12 }],
    ['同意 2号', { kind: 'approve', ref: 2 }],
    ['同意 6650a1b2c3d4e5f601234567', { kind: 'approve', ref: '6650a1b2c3d4e5f601234567' }],
    ['同意', { kind: 'approve', ref: null }],
    ['拒绝 12 不是本小区骑手', { kind: 'deny', ref: 12, reason: '不是本小区骑手' }],
    ['拒绝 12', { kind: 'deny', ref: 12, reason: null }],
    ['核验 128 405 9371', { kind: 'verify', code: '128 405 9371' }],
    ['核验', { kind: 'verify', code: null }],
    ['128 405 9371', { kind: 'passCode', code: '1284059371' }],
    ['1284059371', { kind: 'passCode', code: '1284059371' }],
    ['换门', { kind: 'changeGate' }],
    ['取消', { kind: 'cancel' }],
    ['工作人员帮助', { kind: 'staffHelp' }],
    ['2', { kind: 'number', n: 2 }],
    ['第2个', { kind: 'number', n: 2 }],
    ['２', { kind: 'number', n: 2 }],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each(['驿站 解放碑', '空位 解放碑', '解放碑 有空位', '同意吗', '拒绝是什么意思', '12345', '0123456789', '你好', '', '北京', '井盖坏了'])(
    'is no command: %s', (text) => {
      expect(parseCommand(text)).toBeUndefined();
    },
  );

  it('leaves 「空位 5」 out of the place search: it is a staff command, not a place named 5', () => {
    expect(parseCommand('空位 5')).toEqual({ kind: 'seats', available: 5 });
    expect(parseIntent({ kind: 'text', text: '空位 解放碑' })).toMatchObject({ kind: 'search', hasSeats: true, where: { kind: 'place', name: '解放碑' } });
  });

  it.each([['128 405 9371', '1284059371'], ['12-3456-7890', '1234567890'], ['1234567', null], ['123456789012345', null], ['0123456789', null]])(
    'reads pass code digits from %s', (text, digits) => {
      expect(passCodeDigits(text)).toBe(digits);
    },
  );
});
