/**
 * Property-based fuzz of every operation in GET /openapi.json (Schemathesis' checks, with fast-check): generated
 * valid and adversarial path parameters, queries, headers and bodies, sent anonymously, with bad tokens and as every
 * role, to the real app on the embedded driver. No answer may be a 5xx; every 4xx has the error shape; every status is
 * one the document lists for the operation; 2xx bodies match their documented schemas; a caller without the role never
 * gets a 2xx; and /healthz still answers at the end. FUZZ_SEED and FUZZ_RUNS (per operation) replay or deepen a run.
 */
import fc from 'fast-check';
import type { OpenApiDocument } from '../../src/shared/openapi/document';
import { ROLES, type Role } from '../../src/shared/openapi/route';
import { startFakeWeChat, type FakeWeChat } from '../helpers/fake-wechat';
import { buildTestApp, type TestApp } from '../helpers/app';
import { operations, resolveResponse, schemaChecker } from '../openapi/schema-check';
import { anyString, mutate, nastyString, valid, wrongValue, type Schema } from './arbitraries';
import { listen, type RawRequest } from './http-client';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

type Who = 'anonymous' | 'bad_token' | 'chengdu_admin' | Role;
type Op = ReturnType<typeof operations>[number];
interface Case { who: Who; bot: 'valid' | 'wrong' | 'missing'; path: string; query: string; body?: { type?: string; bytes: Buffer }; headers: Record<string, string> }

let fake: FakeWeChat;
let t: TestApp;
let client: Awaited<ReturnType<typeof listen>>;
let doc: OpenApiDocument;
let checker: ReturnType<typeof schemaChecker>;
const tokens = new Map<Who, string>();
const pools: Record<string, string[]> = {};
const seen = new Map<string, Map<number, number>>();

const resolve = (ref: string): Schema => checker.component(ref.split('/').pop() as string);
const NONE_JWT = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x","typ":"staff","sid":"y"}').toString('base64url')}.`;
const BAD_AUTH = ['Bearer not-a-token', `Bearer ${NONE_JWT}`, 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', `Bearer ${'x'.repeat(3000)}`];

/** Values that reach deeper than random text: real places, points inside the two cities. */
const REALISTIC: Record<string, string[]> = {
  lng: ['106.5816', '104.0817', '106.577', '0', '-180'], lat: ['29.5568', '30.6559', '29.559', '90'],
  place: ['解放碑', '春熙路', '沙坪坝', '北京', '广东省广州市', '解放'], radius: ['3000', '20000', '0', '20001'], limit: ['5', '50', '51'],
  city: ['chongqing', 'chengdu'], coordSys: ['wgs84', 'bd09'], dryRun: ['true'],
  jurisdiction_id: ['chongqing', 'chengdu', 'sfgov.org'], start_date: ['2026-11-01T00:00:00+08:00'], end_date: ['2026-11-25T00:00:00Z'],
};

async function login(who: Who): Promise<void> {
  if (who === 'anonymous' || who === 'bad_token') return;
  const { headers } = who === 'chengdu_admin' ? await t.login('city_admin', 'chengdu') : await t.login(who, 'chongqing');
  tokens.set(who, headers.Authorization);
}

/** Bytes of a percent-encoded string that never throws (lone surrogates become U+FFFD, as a browser would send). */
const pct = (v: string): string => [...Buffer.from(v, 'utf8')]
  .map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

function paramValue(name: string, schema: Schema, statics: Set<string>): fc.Arbitrary<string> {
  const pool = pools[name] ?? [];
  return fc.oneof(
    { arbitrary: pool.length ? fc.constantFrom(...pool) : fc.constant('6650a1b2c3d4e5f601234567'), weight: 10 },
    { arbitrary: valid(schema, resolve).map(String), weight: 2 },
    { arbitrary: anyString, weight: 3 },
  ).map(pct).filter((v) => v.length > 0 && v.length < 4000 && !statics.has(v));
}

function queryArb(op: Op): fc.Arbitrary<string> {
  const params = ((op.op.parameters ?? []) as Array<{ name: string; in: string; schema: Schema }>).filter((p) => p.in === 'query');
  const one = params.map((p) => fc.option(fc.oneof(
    { arbitrary: valid(p.schema, resolve).map(String), weight: 3 },
    { arbitrary: REALISTIC[p.name] ? fc.constantFrom(...(REALISTIC[p.name] as string[])) : valid(p.schema, resolve).map(String), weight: 3 },
    { arbitrary: anyString, weight: 2 },
  ).map((v) => [p.name, v] as const), { freq: 2 }));
  const extraKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'lng[$gt]', 'limit[]', 'x'), ...params.map((p) => fc.constant(p.name)));
  const extra = fc.array(fc.tuple(extraKey, fc.oneof(nastyString, fc.string({ maxLength: 8 }))), { minLength: 1, maxLength: 2 });
  const raw = fc.oneof({ arbitrary: fc.constant(''), weight: 12 }, { arbitrary: fc.constantFrom('&&', '=', '%ZZ=1', 'lng=%E0%A4%A', 'a=%00'), weight: 1 });
  return fc.tuple(fc.tuple(...one), fc.option(extra, { freq: 8 }), raw).map(([given, more, tail]) => {
    const pairs = [...given.filter((g) => g !== null), ...(more ?? [])] as Array<readonly [string, string]>;
    const text = pairs.filter(([, v]) => pct(v).length < 3000).map(([k, v]) => `${pct(k)}=${pct(v)}`).concat(tail ? [tail] : []).join('&');
    return text ? `?${text}` : '';
  });
}

const RAW_BODIES: Array<string | Buffer> = [
  '{', '{"a":1,}', 'NaN', '\u0000', '', ' ', 'null', '[]', '"text"', '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}', '{"name":{"$gt":""}}', `${'['.repeat(5000)}${']'.repeat(5000)}`,
  Buffer.from([0xff, 0xfe, 0x00, 0x7b]), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]), `{"x":"${'y'.repeat(1_100_000)}"}`,
];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/merge-patch+json', 'text/csv', 'application/geo+json'];

function csvArb(example: string): fc.Arbitrary<Buffer> {
  const [header = '', row = ''] = example.trim().split('\n');
  const cells = row.split(',');
  const cell = fc.oneof({ arbitrary: fc.constantFrom(...cells), weight: 4 }, { arbitrary: anyString, weight: 1 }, { arbitrary: nastyString, weight: 2 })
    .map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c));
  const rows = fc.array(fc.array(cell, { minLength: cells.length - 1, maxLength: cells.length + 1 }).map((r) => r.join(',')), { maxLength: 4 });
  return fc.tuple(fc.constantFrom(header, header, `${header},颜色`, 'a,b,c', ''), rows).map(([h, r]) => Buffer.from([h, ...r].join('\n')));
}

function jsonArb(media: { schema: Schema; example?: unknown }): fc.Arbitrary<unknown> {
  const gen = valid(media.schema, resolve);
  const arbs = [{ arbitrary: gen, weight: 3 }, { arbitrary: gen.chain(mutate), weight: 2 }, { arbitrary: wrongValue, weight: 1 }];
  if (media.example !== undefined) arbs.push({ arbitrary: fc.constant(media.example), weight: 3 }, { arbitrary: mutate(media.example), weight: 3 });
  return fc.oneof(...arbs);
}

function bodyArb(op: Op): fc.Arbitrary<Case['body']> {
  const content = (op.op.requestBody as { content?: Record<string, { schema: Schema; example?: unknown }> } | undefined)?.content;
  const raw = fc.tuple(fc.constantFrom(...RAW_BODIES), fc.constantFrom('application/json', ...CONTENT_TYPES, undefined))
    .map(([b, type]) => ({ type, bytes: Buffer.isBuffer(b) ? b : Buffer.from(b) }));
  if (!content) return op.method === 'post' ? fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: raw, weight: 1 }) : fc.constant(undefined);
  const typed = Object.entries(content).map(([type, media]) => (type === 'text/csv'
    ? csvArb(String(media.example ?? '')).map((bytes) => ({ type, bytes }))
    : jsonArb(media).map((v) => ({ type, bytes: Buffer.from(JSON.stringify(v) ?? 'null') }))));
  return fc.oneof({ arbitrary: fc.oneof(...typed), weight: 8 }, { arbitrary: raw, weight: 2 }, { arbitrary: fc.constant(undefined), weight: 1 });
}

function caseArb(op: Op, statics: Set<string>): fc.Arbitrary<Case> {
  const params = ((op.op.parameters ?? []) as Array<{ name: string; in: string; schema: Schema }>).filter((p) => p.in === 'path');
  const path = fc.tuple(...params.map((p) => paramValue(p.name, p.schema, statics).map((v) => [p.name, v] as const)))
    .map((values) => values.reduce((acc, [name, v]) => acc.replace(`{${name}}`, v), op.path));
  const allowed = (op.op['x-roles'] as Who[] | undefined) ?? [];
  const anyone = fc.constantFrom<Who>('anonymous', 'bad_token', 'chengdu_admin', ...ROLES);
  const who = allowed.length ? fc.oneof({ arbitrary: fc.constantFrom(...allowed), weight: 1 }, { arbitrary: anyone, weight: 1 }) : anyone;
  const headers = fc.record({
    'X-Request-Id': fc.stringMatching(/^[\x21-\x7e]{0,160}$/),
    'Accept-Language': fc.constantFrom('zh-CN', 'en', '*', ''),
    'X-Forwarded-For': fc.constantFrom('1.2.3.4', 'unknown', '::1, 10.0.0.1'),
  }, { requiredKeys: [] });
  return fc.record({ who, bot: fc.constantFrom('valid', 'wrong', 'missing'), path, query: queryArb(op), body: bodyArb(op), headers });
}

function rawRequest(op: Op, c: Case): RawRequest {
  const headers: Record<string, string> = { ...c.headers };
  if (c.who === 'bad_token') headers.Authorization = BAD_AUTH[c.path.length % BAD_AUTH.length] as string;
  else if (c.who !== 'anonymous') headers.Authorization = tokens.get(c.who) as string;
  if (c.bot === 'valid') headers['X-Bot-Token'] = t.config.botToken;
  if (c.bot === 'wrong') headers['X-Bot-Token'] = `${t.config.botToken}x`;
  if (c.body?.type) headers['Content-Type'] = c.body.type;
  if (c.body) headers['Content-Length'] = String(c.body.bytes.length);
  return { method: op.method.toUpperCase(), url: `${c.path}${c.query}`, headers, body: c.body?.bytes };
}

/** May this caller succeed at all? (The policy narrows further; the fuzz only checks the role.) */
function mayPass(op: Op, c: Case): boolean {
  const roles = op.op['x-roles'] as string[] | undefined;
  const security = op.op.security as Array<Record<string, unknown>>;
  if (security.length === 0) return true; // mounted before authentication: no token is read
  if (security.some((s) => 'botToken' in s)) return c.bot === 'valid' && c.who !== 'bad_token';
  if (security.some((s) => 'requestSignature' in s)) return false; // no caller here holds a platform's secret
  if (security.some((s) => 'apiKey' in s)) return false; // nor an Open311 client's api_key
  if (!roles) return c.who !== 'bad_token';
  const role = c.who === 'chengdu_admin' ? 'city_admin' : c.who;
  return roles.includes(role);
}

/** Open311's routes answer errors as that standard says: an array of {code, description}, code the HTTP status. */
function checkOpen311Error(status: number, body: unknown, what: string): void {
  const problem = checker.check(checker.component('Open311Errors'), body);
  if (problem || (body as Array<{ code: number }>).some((e) => e.code !== status)) throw new Error(`Open311 error shape (${problem ?? 'code differs'}): ${what}`);
}

async function check(op: Op, c: Case): Promise<void> {
  const req = rawRequest(op, c);
  const res = await client.send(req);
  const what = `${req.method} ${req.url.slice(0, 300)} as ${c.who} (bot token ${c.bot}, body ${c.body?.type ?? 'none'} ${c.body?.bytes.length ?? 0} B) -> ${res.status} ${res.text.slice(0, 400)}`;
  const counts = seen.get(`${op.method} ${op.path}`) ?? new Map<number, number>();
  counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
  seen.set(`${op.method} ${op.path}`, counts);
  if (res.status >= 500) throw new Error(`5xx: ${what}`);
  const documented = op.op.responses[String(res.status)];
  if (!documented) throw new Error(`status not in the document: ${what}`);
  const isJson = /json/.test(String(res.headers['content-type']));
  if (res.status >= 400) {
    if (!isJson) throw new Error(`error without a JSON body: ${what}`);
    if (op.path.startsWith('/open311/')) return checkOpen311Error(res.status, JSON.parse(res.text), what);
    const body = JSON.parse(res.text) as { error?: { status?: number } };
    const problem = checker.check(checker.component('Error'), body);
    if (problem || body.error?.status !== res.status) throw new Error(`error shape (${problem ?? 'status differs'}): ${what}`);
    const reason = (body.error as { details?: { reason?: string } }).details?.reason;
    if ((res.status === 401 || res.status === 403) && ['session_ended', 'disabled', 'suspended'].includes(reason ?? '')) await login(c.who);
    return;
  }
  if (!mayPass(op, c)) throw new Error(`a caller without the role got ${res.status}: ${what}`);
  const media = (resolveResponse(doc, documented).content as Record<string, { schema: Schema }> | undefined)?.['application/json'];
  if (media && isJson) {
    const problem = checker.check(media.schema, JSON.parse(res.text));
    if (problem) throw new Error(`2xx body does not match its schema (${problem}): ${what}`);
  }
}

async function seed(): Promise<void> {
  const example = (path: string) => ((doc.paths[path]?.post?.requestBody as { content: Record<string, { example: Record<string, unknown> }> }).content['application/json']?.example ?? {});
  const station = example('/api/v1/stations');
  const merchant = example('/api/v1/merchants');
  const cqMerchant = { ...merchant, city: 'chongqing', district: '渝中区', location: { lng: 106.5816, lat: 29.5568 } };
  pools.id = [];
  for (let i = 0; i < 3; i++) {
    const s = await t.http.post('/api/v1/stations').set(t.admin).send({ ...station, name: `驿站${i}`, externalId: `FZ-S-${i}` });
    const m = await t.http.post('/api/v1/merchants').set(t.admin).send({ ...cqMerchant, name: `商户${i}`, externalId: `FZ-M-${i}` });
    if (s.status !== 201 || m.status !== 201) throw new Error(`seed failed: ${s.status} ${m.status} ${JSON.stringify(m.body)}`);
    pools.id.push(s.body.data.id, m.body.data.id);
  }
  fake.state.jsCodes.set('fuzz-victim', { openid: 'fuzz-victim-openid' });
  const rider = await t.http.post('/api/v1/auth/wechat').send({ code: 'fuzz-victim' });
  const invite = await t.http.post('/api/v1/admin/invitations').set(t.admin).send({ role: 'gate_guard' });
  const staff = await t.http.post('/api/v1/auth/invitations/accept')
    .send({ code: invite.body.data?.code, username: 'fuzz-victim-guard', password: 'Victim12345', displayName: '受害门岗' });
  if (rider.status !== 200 || staff.status !== 201) throw new Error(`seed failed: ${rider.status} ${staff.status}`);
  pools.id.push(rider.body.user.id, staff.body.user.id);
  pools.contactId = ['wxid_fuzz', '0'];
  pools.asset = ['init.js', 'favicon-16x16.png', 'swagger-ui.css'];
  pools.format = ['json', 'xml'];
  pools.service_code = ['manhole', 'other', 'graffiti'];
  for (const who of ['chengdu_admin', ...ROLES] as Who[]) await login(who);
}

beforeAll(async () => {
  fake = await startFakeWeChat();
  t = await buildTestApp({
    RATE_LIMIT_WRITE_PER_MINUTE: '1000000', RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
    WECHAT_API_BASE: fake.baseURL, WECHAT_APPID: fake.state.appId, WECHAT_SECRET: fake.state.appSecret,
  });
  client = await listen(t.app);
  doc = JSON.parse((await client.send({ method: 'GET', url: '/openapi.json', headers: {} })).text);
  checker = schemaChecker(doc);
  await seed();
});

afterAll(async () => {
  if (process.env.FUZZ_REPORT) {
    for (const [op, counts] of seen) console.log(op, JSON.stringify(Object.fromEntries(counts)));
  }
  await client?.close();
  await t?.close();
  await fake?.close();
});

it('answers generated and adversarial requests to every documented operation, as every role, without a 5xx', async () => {
  const ops = operations(doc);
  const statics = new Set(ops.flatMap((o) => o.path.split('/')).filter((s) => s && !s.startsWith('{')));
  expect(ops.length).toBeGreaterThan(40);
  for (const [i, op] of ops.entries()) {
    // The reference page's 1.7 MB script is not worth sending hundreds of times.
    const numRuns = op.path === '/docs/{asset}' ? 10 : RUNS;
    try {
      await fc.assert(fc.asyncProperty(caseArb(op, statics), (c) => check(op, c)), { seed: SEED + i, numRuns, endOnFailure: true });
    } catch (err) {
      console.error(`fuzz failed on ${op.method.toUpperCase()} ${op.path}: replay with FUZZ_SEED=${SEED} (this operation's fast-check seed ${SEED + i})`);
      throw err;
    }
  }
  const health = await client.send({ method: 'GET', url: '/healthz', headers: {} });
  expect([health.status, JSON.parse(health.text)]).toEqual([200, { status: 'ok' }]);
}, 120_000);
