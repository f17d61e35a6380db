import { z } from 'zod';
import { CITIES } from '../../shared/domain';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, EXAMPLE_ID, objectId } from '../../shared/openapi/schemas';
import { staffExample, staffViewSchema } from './identity.openapi';
import { STAFF_ROLES } from './identity.types';

const tags = ['bot'];
const staff = (description: string) => ({ description, schema: dataOf(staffViewSchema), example: { data: staffExample } });

/** POST /api/v1/bot/sessions answers (bot-sessions.service.ts BotSession). */
export const botSessionSchema = z.object({
  kind: z.enum(['staff', 'rider']).meta({ description: 'staff：已绑定的工作人员；rider：其他联系人，都是骑手' }),
  accessToken: z.string().meta({ description: '该联系人本人账号的访问令牌，以 Authorization: Bearer 代其调用接口' }),
  expiresIn: z.number().int().meta({ description: '访问令牌有效秒数；过期后再调用本接口，不发刷新令牌' }),
  user: z.object({
    id: objectId,
    displayName: z.string().nullable(),
    role: z.enum(['rider', ...STAFF_ROLES]),
    city: z.enum(CITIES).nullable(),
  }),
});

const sessionExample = {
  kind: 'staff', accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl', expiresIn: 900,
  user: { id: EXAMPLE_ID, displayName: '解放碑驿站张姐', role: 'station_operator', city: 'chongqing' },
} as const;

/** The declarations of /api/v1/bot (X-Bot-Token), on the schemas its handlers validate with. */
export function botDocs(s: { bind: z.ZodType; session: z.ZodType }): Record<'bind' | 'contact' | 'session' | 'recipient', RouteDoc> {
  return {
    bind: {
      method: 'post', path: '/bind', tags, access: 'bot', summary: '用绑定码把微信联系人绑到工作人员账号',
      description: '工作人员在微信里向机器人发送「绑定 CODE」时由机器人调用。', body: s.bind,
      bodyExample: { code: 'H4K8P2QW', contactId: 'wxid_a1b2c3d4e5' }, errors: [404, 409, 410], responses: { 200: staff('已绑定') },
    },
    contact: {
      method: 'get', path: '/contacts/:contactId', tags, access: 'bot', summary: '按微信联系人查工作人员',
      params: z.object({ contactId: z.string().min(1).max(128).meta({ examples: ['wxid_a1b2c3d4e5'] }) }),
      responses: { 200: staff('已绑定的在岗工作人员；未绑定或已停用答 404') },
    },
    session: {
      method: 'post', path: '/sessions', tags, access: 'bot', summary: '为微信联系人取得其本人账号的访问令牌',
      description: '绑定了工作人员账号的联系人得到该工作人员的会话（如同其登录：角色、城市、管辖对象不变，接口照常鉴权）；'
        + '其他联系人是骑手，首次出现时建档（昵称取 name）。已停用的账号答 403（details.reason：disabled 或 suspended）。'
        + '会话与访问令牌同时到期，没有刷新令牌：过期后再调用。每个联系人每分钟最多 30 次（429）。',
      body: s.session, bodyExample: { contactId: 'wxid_a1b2c3d4e5', name: '小王' }, errors: [422],
      responses: { 200: { description: '访问令牌与用户', schema: dataOf(botSessionSchema), example: { data: sessionExample } } },
    },
    recipient: {
      method: 'get', path: '/recipients/:kind/:id', tags, access: 'bot', summary: '按收件人（骑手或工作人员编号）查微信联系人',
      description: '机器人投递发件箱事件时用：recipient { kind, id } 换成微信联系人。contactId 为 null：此人没有机器人联系人，'
        + '或是已停用的工作人员（不再投递）。编号不存在答 404。',
      params: z.object({ kind: z.enum(['rider', 'staff']), id: objectId }), errors: [422],
      responses: {
        200: {
          description: '收件人的微信联系人', schema: dataOf(z.object({ contactId: z.string().nullable() })),
          example: { data: { contactId: 'wxid_a1b2c3d4e5' } },
        },
      },
    },
  };
}
