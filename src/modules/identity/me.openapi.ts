import { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, isoTime } from '../../shared/openapi/schemas';
import { meSchema, riderExample, staffExample } from './identity.openapi';

const tags = ['me'];
const me = { description: '当前账号', schema: dataOf(meSchema), name: 'Me', example: { data: { ...riderExample, phone: '13800001234', holdings: null } } };

/** The declarations of /api/v1/me, on the schemas its handlers validate with. */
export function meDocs(s: { riderPatch: z.ZodType; staffPatch: z.ZodType; code: z.ZodType }): Record<'get' | 'patch' | 'phone' | 'wechat' | 'botBindCode', RouteDoc> {
  return {
    get: { method: 'get', path: '/', tags, access: 'user', summary: '我的账号（角色与持有的驿站、商户）', responses: { 200: me } },
    patch: {
      method: 'patch', path: '/', tags, access: 'user', summary: '修改我的资料',
      description: '骑手可改 displayName、platform、city、plate；工作人员只能改 displayName。',
      body: { content: {
        'application/json': { schema: z.union([s.riderPatch, s.staffPatch]), example: { displayName: '小王', platform: '饿了么', plate: '渝A-12345' } },
      } },
      errors: [422], responses: { 200: me },
    },
    phone: {
      method: 'post', path: '/phone', tags, access: ['rider'], summary: '绑定手机号（骑手）',
      description: '小程序 getPhoneNumber 得到的 code 换取手机号；暂只支持中国大陆号码。',
      body: s.code, bodyExample: { code: 'e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144' }, errors: [422, 502, 503],
      responses: { 200: me },
    },
    wechat: {
      method: 'post', path: '/wechat', tags, access: 'staff', summary: '绑定微信（工作人员）',
      description: '之后可用 POST /api/v1/auth/wechat {code, as: "staff"} 登录。', body: s.code, bodyExample: { code: '0a3Xb2Ga1Qw8sF0Zx4Ja1y7vXb3Xb2Gx' },
      errors: [409, 502, 503], responses: { 200: { ...me, example: { data: { ...staffExample, wechatBound: true } } } },
    },
    botBindCode: {
      method: 'post', path: '/bot-bind-code', tags, access: 'staff', summary: '生成机器人绑定码（10 分钟有效）',
      responses: { 201: {
        description: '绑定码只显示这一次',
        schema: dataOf(z.object({ code: z.string(), expiresAt: isoTime, howTo: z.string() })),
        example: { data: { code: 'H4K8P2QW', expiresAt: '2026-11-25T04:10:00.000Z', howTo: '在微信里向暖新机器人发送「绑定 H4K8P2QW」' } },
      } },
    },
  };
}
