import type { MerchantSearch, StationSearch } from './types';

/** The help text: everything a rider can do, short enough for one phone screen. */
export function helpText(): string {
  return [
    '暖新助手：',
    '· 发送位置（「+」→「位置」）：附近的暖新驿站，含营业时间、空位和地图',
    '· 驿站 沙坪坝 / 解放碑 有热水 / 观音桥 充电：按地点、设施找驿站',
    '· 春熙路 优惠 / 春熙路 吃饭：骑手优惠商户',
    '· 进小区 幸福里：申请进小区，或查看已有的通行证',
    '· 我的通行码：进门时给门岗看（只在私聊里显示）',
    '· 上报 或 随手拍：上报路上的安全隐患；我的上报：查看进度',
    '发过位置后 10 分钟内，直接发「商户」「吃饭」就查同一地点。工作人员发「工作人员帮助」。',
  ].join('\n');
}

/** The staff menu: what each role can send. */
export function staffHelpText(): string {
  return [
    '工作人员命令（请私聊发送）：',
    '· 绑定 K7M2Q9XA：用小程序里生成的绑定码绑定账号；我是谁：查看绑定的账号',
    '· 驿站运营方：空位 5 / 满员 / 暂停开放 原因 / 恢复开放',
    '· 物业：待审批；同意 1；拒绝 1 原因',
    '· 门岗：核验 128 405 9371（或直接发通行码）；换门',
  ].join('\n');
}

/** The answer to anything the bot does not understand. */
export function hintText(): string {
  return '没看懂呢。发送位置或地名即可找附近驿站，如「驿站 沙坪坝」「春熙路 吃饭」；发送「帮助」查看全部用法。';
}

/** The answer to voice, video and the like. */
export function unsupportedText(): string {
  return `暂时只能看懂文字、位置和照片。${hintText()}`;
}

/** A message longer than the bot reads. */
export function tooLongText(maxChars: number): string {
  return `消息太长了（最多 ${maxChars} 字），请简短一些再发。发送「帮助」查看用法。`;
}

/** A bare number with no list to pick from. */
export function noChoiceText(): string {
  return '没有可以选择的列表了（可能已超过 10 分钟），请重新发送命令。';
}

/** Asked when a text needs a place but none was given and no recent location is remembered. */
export function askWhereText(target: StationSearch['target'] | MerchantSearch['target']): string {
  const example = target === 'merchants' ? '春熙路 优惠' : '驿站 沙坪坝';
  return `请先发送你的位置（「+」→「位置」），或带上地名，如「${example}」。`;
}

/** Refuses a radius beyond what the API allows. */
export function radiusTooLargeText(maxRadiusM: number): string {
  return `搜索范围最大 ${maxRadiusM / 1000} 公里，请换个小一点的范围，如「驿站 沙坪坝 5公里」。`;
}
