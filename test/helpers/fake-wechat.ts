import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake WeChat API on 127.0.0.1 for tests that drive the real client over HTTP. Program it through `state`:
 * valid codes, subscription quotas, scripted errcodes, token invalidation, a delay; read back what it received.
 */
export type FakeEndpoint = 'jscode2session' | 'phone' | 'stable_token' | 'subscribe' | 'msg_sec_check';

const ROUTES: Record<string, FakeEndpoint> = {
  'GET /sns/jscode2session': 'jscode2session',
  'POST /wxa/business/getuserphonenumber': 'phone',
  'POST /cgi-bin/stable_token': 'stable_token',
  'POST /cgi-bin/message/subscribe/send': 'subscribe',
  'POST /wxa/msg_sec_check': 'msg_sec_check',
};

export interface ReceivedRequest {
  endpoint: FakeEndpoint;
  path: string;
  query: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON fields
  body: any;
}

export class FakeWeChatState {
  readonly appId = 'wx-fake-app';
  readonly appSecret = 'fake-secret';
  /** js_code -> user; a code is consumed on use, so a second use answers 40029. */
  readonly jsCodes = new Map<string, { openid: string; unionid?: string }>();
  /** Phone code -> mainland number; single-use like js codes. */
  readonly phoneCodes = new Map<string, string>();
  /** `${openid}/${templateId}` -> sends left; a send with none left answers 43101. */
  readonly subscriptions = new Map<string, number>();
  /** msg_sec_check: content holding one of these words is risky (label 20006) or needs review (label 21000). */
  riskyWords: string[] = [];
  reviewWords: string[] = [];
  tokenTtlSec = 7200;
  /** Every answer waits this long, to make the client time out. */
  delayMs = 0;
  readonly requests: ReceivedRequest[] = [];
  /** Bodies of subscribe messages that were delivered. */
  readonly sentMessages: Array<Record<string, unknown>> = [];
  /** Issued tokens -> 0 while valid, else the errcode they are rejected with. */
  readonly tokens = new Map<string, number>();
  /** Errcodes queued by failNext, per endpoint. */
  readonly scripted = new Map<FakeEndpoint, number[]>();

  /** The next `times` calls to `endpoint` answer `errcode` (after being recorded), then normal behaviour resumes. */
  failNext(endpoint: FakeEndpoint, errcode: number, times = 1): void {
    this.scripted.set(endpoint, [...(this.scripted.get(endpoint) ?? []), ...Array<number>(times).fill(errcode)]);
  }

  /** Every token issued so far is rejected from now on (40001 invalid, 42001 expired). */
  invalidateTokens(errcode: 40001 | 42001 = 40001): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, errcode);
  }

  /** The user accepted `times` more messages of this template. */
  acceptSubscription(openid: string, templateId: string, times = 1): void {
    const key = `${openid}/${templateId}`;
    this.subscriptions.set(key, (this.subscriptions.get(key) ?? 0) + times);
  }

  /** Requests received by one endpoint, in order (timed-out and failed ones included). */
  requestsTo(endpoint: FakeEndpoint): ReceivedRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  /** force_refresh of each stable_token request, in order: its length is the number of token requests. */
  tokenCalls(): boolean[] {
    return this.requestsTo('stable_token').map((r) => r.body?.force_refresh === true);
  }
}

export interface FakeWeChat {
  baseURL: string;
  state: FakeWeChatState;
  close(): Promise<void>;
}

type Reply = Record<string, unknown>;
const ERRMSG: Record<number, string> = {
  [-1]: 'system error', 40001: 'invalid credential, access_token is invalid or not latest', 40013: 'invalid appid',
  40029: 'invalid code', 40125: 'invalid appsecret', 42001: 'access_token expired', 43101: 'user refuse to accept the msg',
  47001: 'data format error',
};
const fail = (errcode: number): Reply => ({ errcode, errmsg: ERRMSG[errcode] ?? `errcode ${errcode}` });
const TOKEN_FREE: FakeEndpoint[] = ['jscode2session', 'stable_token'];

function jscode2session(s: FakeWeChatState, q: Record<string, string>): Reply {
  if (q.appid !== s.appId) return fail(40013);
  if (q.secret !== s.appSecret) return fail(40125);
  const user = s.jsCodes.get(q.js_code ?? '');
  if (!user || q.grant_type !== 'authorization_code') return fail(40029);
  s.jsCodes.delete(q.js_code ?? '');
  return { openid: user.openid, session_key: randomBytes(16).toString('base64'), ...(user.unionid && { unionid: user.unionid }) };
}

function stableToken(s: FakeWeChatState, b: Reply): Reply {
  if (b.grant_type !== 'client_credential') return fail(47001);
  if (b.appid !== s.appId) return fail(40013);
  if (b.secret !== s.appSecret) return fail(40125);
  // Like the real stable_token: the current token is handed out again unless a refresh is forced.
  let token = [...s.tokens].findLast(([, errcode]) => errcode === 0)?.[0];
  if (!token || b.force_refresh === true) {
    s.invalidateTokens();
    token = `fake-token-${s.tokens.size + 1}-${randomBytes(4).toString('hex')}`;
    s.tokens.set(token, 0);
  }
  return { access_token: token, expires_in: s.tokenTtlSec };
}

function phone(s: FakeWeChatState, b: Reply): Reply {
  const number = s.phoneCodes.get(String(b.code));
  if (!number) return fail(40029);
  s.phoneCodes.delete(String(b.code));
  const watermark = { timestamp: Math.floor(Date.now() / 1000), appid: s.appId };
  return { errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: number, purePhoneNumber: number, countryCode: '86', watermark } };
}

function subscribe(s: FakeWeChatState, b: Reply): Reply {
  const data = b.data as Record<string, { value?: unknown }> | undefined;
  if (typeof b.touser !== 'string' || typeof b.template_id !== 'string' || !data) return fail(47001);
  if (Object.values(data).some((d) => typeof d?.value !== 'string')) return fail(47001);
  const key = `${b.touser}/${b.template_id}`;
  const left = s.subscriptions.get(key) ?? 0;
  if (left < 1) return fail(43101);
  s.subscriptions.set(key, left - 1);
  s.sentMessages.push(b);
  return { errcode: 0, errmsg: 'ok', msgid: s.sentMessages.length };
}

function msgSecCheck(s: FakeWeChatState, b: Reply): Reply {
  if (b.version !== 2 || typeof b.openid !== 'string' || typeof b.content !== 'string') return fail(47001);
  const has = (words: string[]) => words.some((w) => (b.content as string).includes(w));
  const result = has(s.riskyWords) ? { suggest: 'risky', label: 20006 } : has(s.reviewWords) ? { suggest: 'review', label: 21000 } : { suggest: 'pass', label: 100 };
  return { errcode: 0, errmsg: 'ok', result, detail: [], trace_id: randomBytes(8).toString('hex') };
}

function answer(s: FakeWeChatState, endpoint: FakeEndpoint, query: Record<string, string>, body: Reply): Reply {
  const scripted = s.scripted.get(endpoint)?.shift();
  if (scripted !== undefined) return fail(scripted);
  if (!TOKEN_FREE.includes(endpoint)) {
    const rejected = s.tokens.get(query.access_token ?? '') ?? 40001;
    if (rejected !== 0) return fail(rejected);
  }
  if (endpoint === 'jscode2session') return jscode2session(s, query);
  if (endpoint === 'stable_token') return stableToken(s, body);
  if (endpoint === 'phone') return phone(s, body);
  return endpoint === 'subscribe' ? subscribe(s, body) : msgSecCheck(s, body);
}

async function readJson(req: http.IncomingMessage): Promise<Reply | null> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return text ? (JSON.parse(text) as Reply) : {};
  } catch {
    return null;
  }
}

/** Starts a fake WeChat API on 127.0.0.1 (a free port) with an empty, programmable state. */
export async function startFakeWeChat(): Promise<FakeWeChat> {
  const state = new FakeWeChatState();
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
    timers.add(t);
  });
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const endpoint = ROUTES[`${req.method} ${url.pathname}`];
    if (!endpoint) return void res.writeHead(404).end();
    const query = Object.fromEntries(url.searchParams);
    const body = await readJson(req);
    state.requests.push({ endpoint, path: url.pathname, query, body });
    if (state.delayMs > 0) await wait(state.delayMs);
    const reply = body ? answer(state, endpoint, query, body) : fail(47001);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    state,
    close: () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
