import type { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { tokenPairExample, tokenPairSchema } from './identity.openapi';

type Schemas = Record<'wechat' | 'refresh' | 'login' | 'accept' | 'dev', z.ZodType>;

const tokens = (description: string) => ({ description, schema: tokenPairSchema, name: 'TokenPair', example: tokenPairExample });
const tags = ['auth'];

/** The declarations of /api/v1/auth, on the schemas its handlers validate with. */
export function authDocs(s: Schemas): Record<'wechat' | 'login' | 'accept' | 'refresh' | 'logout' | 'dev', RouteDoc> {
  return {
    wechat: {
      method: 'post', path: '/wechat', tags, access: 'public', summary: '微信登录',
      description: '小程序 wx.login 得到的 code 换取令牌；骑手首次登录即注册。as: "staff" 为已绑定微信的工作人员登录。',
      body: s.wechat, bodyExample: { code: '0a3Xb2Ga1Qw8sF0Zx4Ja1y7vXb3Xb2Gx' }, errors: [404, 502, 503],
      responses: { 200: tokens('登录成功') },
    },
    login: {
      method: 'post', path: '/staff/login', tags, access: 'public', summary: '工作人员用户名密码登录',
      description: '第 3 次输错起每次等待加长；连续 5 次错误锁定 15 分钟（429，带 Retry-After）。',
      body: s.login, bodyExample: { username: 'cq-admin', password: 'a-long-Passw0rd' }, responses: { 200: tokens('登录成功') },
    },
    accept: {
      method: 'post', path: '/invitations/accept', tags, access: 'public', summary: '接受邀请，创建工作人员账号',
      body: s.accept, bodyExample: { code: 'K7M2Q9X4TB', username: 'jfb-operator', password: 'Jiefangbei2026', displayName: '解放碑驿站张姐' },
      errors: [404, 409, 410, 422], responses: { 201: tokens('账号已创建并登录') },
    },
    refresh: {
      method: 'post', path: '/refresh', tags, access: 'public', summary: '刷新令牌',
      description: '用 refreshToken 换一对新令牌（旧的随即作废）；再次出示旧 refreshToken 会结束整个会话。',
      body: s.refresh, bodyExample: { refreshToken: tokenPairExample.refreshToken }, responses: { 200: tokens('新的一对令牌') },
    },
    logout: {
      method: 'post', path: '/logout', tags, access: 'user', summary: '退出登录（结束本会话）', responses: { 204: { description: '已退出' } },
    },
    dev: {
      method: 'post', path: '/dev', tags, access: 'public', summary: '开发登录（非生产环境）',
      description: '登录任一角色的演示用户：驿站运营方得到本市前三个驿站，商户得到三个商户。生产环境关闭（403）。',
      body: s.dev, bodyExample: { role: 'city_admin', city: 'chongqing' }, responses: { 200: tokens('登录成功') },
    },
  };
}
