import { z } from 'zod';
import { WeChatError } from './wechat-errors';

export const sessionReply = z.object({
  openid: z.string().min(1),
  session_key: z.string().min(1),
  unionid: z.string().min(1).optional(),
});

export const phoneReply = z.object({
  phone_info: z.object({ phoneNumber: z.string(), purePhoneNumber: z.string(), countryCode: z.string() }),
});

export const tokenReply = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

export const msgSecReply = z.object({
  result: z.object({ suggest: z.enum(['pass', 'review', 'risky']), label: z.number().int() }),
});

/** The answer's fields we rely on, or a 502 when WeChat changed its shape. */
export function parseReply<S extends z.ZodType>(schema: S, reply: unknown): z.output<S> {
  const parsed = schema.safeParse(reply);
  if (parsed.success) return parsed.data;
  // Only field paths: the answer itself may hold a session key or a phone number.
  const fields = parsed.error.issues.map((i) => i.path.join('.'));
  throw new WeChatError(502, 'wechat_bad_response', '微信服务返回异常', { fields });
}
