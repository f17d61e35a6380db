import { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf } from '../../shared/openapi/schemas';
import { staffExample, staffViewSchema } from './identity.openapi';

const tags = ['bot'];
const staff = (description: string) => ({ description, schema: dataOf(staffViewSchema), example: { data: staffExample } });

/** The declarations of /api/v1/bot (X-Bot-Token), on the schema its handler validates with. */
export function botDocs(s: { bind: z.ZodType }): Record<'bind' | 'contact', RouteDoc> {
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
  };
}
