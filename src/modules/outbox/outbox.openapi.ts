import { z } from 'zod';
import { CITIES } from '../../shared/domain';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, EXAMPLE_ID, EXAMPLE_TIME, isoTime, objectId } from '../../shared/openapi/schemas';

const tags = ['outbox'];

/** A claimed event as POST /api/v1/outbox/claim answers it. */
export const claimedEventSchema = z.object({
  id: objectId.meta({ description: '事件编号：每个消费方收到同一事件时编号相同，据此去重' }),
  type: z.string().meta({ description: '事件类型：access.approved、access.denied、pass.revoked、pass.expiring，以后还有 report.updated 等', examples: ['access.approved'] }),
  dedupeId: z.string().meta({ description: '产生方给的去重键：同一键只写入一次' }),
  recipient: z.object({ kind: z.enum(['rider', 'staff']), id: objectId }).meta({ description: '收件人：骑手或工作人员的编号，由消费方自己换成微信联系人' }),
  city: z.enum(CITIES).nullable(),
  payload: z.record(z.string(), z.unknown()).meta({ description: '写消息所需的内容（名称、原因、时间等），不必回调服务' }),
  createdAt: isoTime,
  claimToken: z.string().meta({ description: '本次领取的凭据：确认或退回时带上' }),
  leaseUntil: isoTime.meta({ description: '租约到期时间：此前未确认，事件会再次被领取' }),
  attempts: z.number().int().min(1).meta({ description: '本消费方领取这条事件的次数（含本次）；大于 1 说明可能已发过一次' }),
});

const resultRow = <T extends readonly [string, ...string[]]>(results: T) => z.object({ id: z.string(), result: z.enum(results) });
export const ACK_RESULTS = ['acked', 'already', 'stale', 'unknown'] as const;
export const RELEASE_RESULTS = ['released', 'already', 'stale', 'unknown'] as const;

const claimedExample = {
  id: EXAMPLE_ID, type: 'access.approved', dedupeId: `access.approved:${EXAMPLE_ID}`,
  recipient: { kind: 'rider', id: '6650a1b2c3d4e5f601234568' }, city: 'chongqing',
  payload: { compoundName: '龙湖春森彼岸', passId: '6650a1b2c3d4e5f601234569', validTo: '2026-12-25T04:00:00.000Z', note: '请走北门，电动车停在地库入口右侧' },
  createdAt: EXAMPLE_TIME, claimToken: 'Zk3q9X2bR7mN1pL4', leaseUntil: '2026-11-25T04:01:00.000Z', attempts: 1,
};
const handle = { id: EXAMPLE_ID, claimToken: 'Zk3q9X2bR7mN1pL4' };

const RESULTS_TEXT = 'acked 已确认；already 早已确认（重复确认无害）；stale 租约已失效并被再次领取或已退回，这次领取不再算数；unknown 没有这条事件';

/** The declarations of /api/v1/outbox (X-Bot-Token), on the schemas the handlers validate with. */
export function outboxDocs(s: { claim: z.ZodType; ack: z.ZodType; release: z.ZodType }): Record<'claim' | 'ack' | 'release' | 'stats', RouteDoc> {
  return {
    claim: {
      method: 'post', path: '/claim', tags, access: 'bot', summary: '领取一批待发通知',
      description: [
        '按产生顺序领取本消费方尚未确认、也不在有效租约中的事件，每条带新的 claimToken 和 leaseUntil。',
        '每个消费方每条事件至少收到一次：租约到期仍未确认的事件会再被领取（attempts 加 1），所以请按事件 id 去重。',
        '两个同时进行的领取不会拿到同一条事件。consumer 须是配置 OUTBOX_CONSUMERS 中的名字，否则答 422。',
      ].join('\n\n'),
      body: s.claim, bodyExample: { consumer: 'bot', limit: 20, leaseSeconds: 60 }, errors: [422],
      responses: { 200: { description: '领到的事件（没有待发的是空数组）', schema: dataOf(z.array(claimedEventSchema)), example: { data: [claimedExample] } } },
    },
    ack: {
      method: 'post', path: '/ack', tags, access: 'bot', summary: '确认已处理的通知',
      description: `逐条确认（最多 100 条），每条答一个结果：${RESULTS_TEXT}。发完消息再确认。`,
      body: s.ack, bodyExample: { consumer: 'bot', acks: [handle] }, errors: [422],
      responses: { 200: { description: '每条的结果，顺序同请求', schema: dataOf(z.array(resultRow(ACK_RESULTS))), example: { data: [{ id: EXAMPLE_ID, result: 'acked' }] } } },
    },
    release: {
      method: 'post', path: '/release', tags, access: 'bot', summary: '退回暂时发不出的通知',
      description: '把领到但暂时发不出（如微信繁忙）的事件提前退回，retryAfterSeconds 秒后可再被领取（默认立即）。结果：released 已退回，其余同确认接口。',
      body: s.release, bodyExample: { consumer: 'bot', releases: [handle], retryAfterSeconds: 30 }, errors: [422],
      responses: { 200: { description: '每条的结果，顺序同请求', schema: dataOf(z.array(resultRow(RELEASE_RESULTS))), example: { data: [{ id: EXAMPLE_ID, result: 'released' }] } } },
    },
    stats: {
      method: 'get', path: '/stats', tags, access: 'bot', summary: '各消费方积压的通知数',
      description: 'ready：现在可领取；leased：已领取未确认（租约中或退回后等待重试）。',
      responses: { 200: {
        description: '每个配置的消费方一行',
        schema: dataOf(z.array(z.object({ consumer: z.string(), ready: z.number().int().min(0), leased: z.number().int().min(0) }))),
        example: { data: [{ consumer: 'bot', ready: 3, leased: 1 }, { consumer: 'wechat', ready: 0, leased: 0 }] },
      } },
    },
  };
}
