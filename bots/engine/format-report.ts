import type { Hazard, HazardCategory } from '../api-contract';
import { dateText } from './format-common';
import type { ReportDraft } from './types';

const MAX_LISTED = 5;

/** The categories as a numbered list, with how else to answer. */
export function categoryListText(categories: HazardCategory[], photoReceived: boolean): string {
  return [
    photoReceived ? '收到照片。这是什么隐患？回复序号，或直接说说（如「井盖坏了」）：' : '随手拍：这是什么隐患？回复序号，或直接说说（如「井盖坏了」）：',
    ...categories.map((c, i) => `${i + 1}. ${c.name}`),
    '发「取消」退出上报。',
  ].join('\n');
}

export const askLocationText = (category: HazardCategory) =>
  `类别：${category.name}。请发送隐患所在的位置（「+」→「位置」）；发「取消」退出上报。`;
export const stillLocationText = '请发送隐患所在的位置（「+」→「位置」），文字地址无法定位；发「取消」退出上报。';
export const askPhotoText = '请拍一张照片发给我（可选），没有照片就回复「跳过」。';
export const stillPhotoText = '请发送照片，或回复「跳过」；发「取消」退出上报。';
export const cancelledText = '已取消。';
export const nothingToCancelText = '现在没有进行中的操作。发送「帮助」查看用法。';
export const photoTooLargeText = (maxBytes: number) => `照片太大了（最多 ${Math.round(maxBytes / 1024 / 1024)} MB），请换一张，或回复「跳过」。`;
export const reportInRoomText = '请私聊我上报隐患（需要发送位置和照片，群里不方便）：私聊发送「上报」即可。';

/** A nearby open report of the same category, offered for support instead of a duplicate. */
export function duplicateOfferText(h: Hazard): string {
  const where = h.address ? `${h.address}，` : '';
  const distance = h.distanceM === undefined ? '' : h.distanceM < 10 ? '就在附近，' : `${Math.round(h.distanceM)}米外，`;
  return [
    `附近已有同类上报：「${h.categoryName}」${where}${distance}${h.statusName}，${h.supportCount} 人支持。`,
    `说明：${h.description}`,
    '回复 1 支持这条（进展会通知你），2 仍然上报。',
  ].join('\n');
}

/** What will be sent, and how to send it. */
export function confirmText(d: ReportDraft): string {
  const where = d.location?.address ?? '你发送的位置';
  return [
    '请确认上报：',
    `类别：${d.category?.name ?? ''}`,
    `位置：${where}`,
    `说明：${d.description ?? d.category?.name ?? ''}`,
    `照片：${d.photo ? '1 张' : '无'}`,
    '回复「确认」提交，「取消」放弃；想补充说明就直接发文字。',
  ].join('\n');
}

export function createdText(h: Hazard): string {
  const to = h.route?.bodyName ? `，已转给${h.route.bodyName}` : '';
  return `已上报「${h.categoryName}」${to}。处理进展会发消息通知你；发「我的上报」查看。谢谢你！`;
}

export const supportedText = (h: Hazard) => `已支持这条上报（现在 ${h.supportCount} 人支持），处理进展会发消息通知你。`;

function hazardLine(h: Hazard, i: number): string {
  const status = h.status === 'rejected' && h.rejectReason ? `${h.statusName}：${h.rejectReason}` : h.statusName;
  const where = h.address ? ` · ${h.address}` : '';
  return `${i + 1}. ${h.categoryName} · ${status} · ${h.supportCount} 人支持\n   ${dateText(h.createdAt)}${where}`;
}

/** 「我的上报」: the newest reports the rider made or follows, with their status. */
export function myReportsText(hazards: Hazard[]): string {
  if (hazards.length === 0) return '你还没有上报过隐患。发送「上报」或「随手拍」开始。';
  const newest = [...hazards].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, MAX_LISTED);
  return ['你上报和关注的隐患：', ...newest.map(hazardLine)].join('\n');
}
