import type { MerchantSearch, StationSearch } from './types';

/** The help text: everything the bot understands, short enough for one phone screen. */
export function helpText(): string {
  return [
    '暖新助手帮你找附近的暖新驿站和骑手优惠商户：',
    '· 发送位置（「+」→「位置」）：附近的驿站',
    '· 驿站 沙坪坝：某地附近的驿站',
    '· 解放碑 有座位 / 观音桥 充电：按座位、设施筛选',
    '· 春熙路 优惠 / 春熙路 吃饭：优惠商户',
    '· 加上范围：驿站 沙坪坝 3公里（最大20公里）',
    '发过位置后 10 分钟内，直接发「商户」「吃饭」就查同一地点。',
  ].join('\n');
}

/** The answer to anything the bot does not understand. */
export function hintText(): string {
  return '没看懂呢。发送位置或地名即可找附近驿站，如「驿站 沙坪坝」「春熙路 吃饭」；发送「帮助」查看全部用法。';
}

/** The answer to voice, pictures and the like. */
export function unsupportedText(): string {
  return `暂时只能看懂文字和位置。${hintText()}`;
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
