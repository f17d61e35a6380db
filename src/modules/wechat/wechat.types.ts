import type { Logger } from '../../shared/logger';
import type { Clock } from '../../shared/time';

export interface WeChatClientOptions {
  baseURL: string;
  appId: string;
  appSecret: string;
  clock: Clock;
  log: Logger;
  /** Deadline of each HTTP request; default 5000. */
  timeoutMs?: number;
  /** Tries on errcode -1 (system busy), the first included; default 3 tries, 200 ms doubling. */
  retry?: { attempts: number; baseDelayMs: number };
  /** Refresh the access token this long before it expires; default 5 minutes. */
  refreshEarlyMs?: number;
}

export interface WeChatSession {
  openid: string;
  /** Secret: never log it or send it to the mini-program. */
  sessionKey: string;
  unionid: string | null;
}

export interface WeChatPhone {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, string>;
  miniprogramState?: 'developer' | 'trial' | 'formal';
}

/** `no_quota` (errcode 43101): the user has no accepted subscription left; callers usually ignore it. */
export type SubscribeResult = { sent: true } | { sent: false; reason: 'no_quota' };

/** 1 profile, 2 comment, 3 forum, 4 social log. */
export type MsgSecScene = 1 | 2 | 3 | 4;

export interface MsgSecCheckInput {
  openid: string;
  content: string;
  scene: MsgSecScene;
}

export interface MsgSecVerdict {
  suggest: 'pass' | 'review' | 'risky';
  label: number;
}

export interface WeChatClient {
  code2Session(jsCode: string): Promise<WeChatSession>;
  getPhoneNumber(code: string): Promise<WeChatPhone>;
  sendSubscribeMessage(msg: SubscribeMessage): Promise<SubscribeResult>;
  msgSecCheck(input: MsgSecCheckInput): Promise<MsgSecVerdict>;
  accessToken(): Promise<string>;
}
