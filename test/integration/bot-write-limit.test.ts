import { buildTestApp, type TestApp } from '../helpers/app';

// The per-IP write budget (RATE_LIMIT_WRITE_PER_MINUTE) is for anonymous floods; the bot is one address for every
// chat user and the outbox's consumer, so a valid X-Bot-Token is not counted against its address.
let t: TestApp;
let bot: { 'X-Bot-Token': string };
// buildTestApp's two dev logins already spent 2 of the address's 4 writes.
beforeEach(async () => {
  t = await buildTestApp({ RATE_LIMIT_WRITE_PER_MINUTE: '4' });
  bot = { 'X-Bot-Token': t.config.botToken };
});
afterEach(() => t.close());

const claim = (headers: Record<string, string>) => t.http.post('/api/v1/outbox/claim').set(headers).send({ limit: 10 });

describe('the per-IP write limit and the bot', () => {
  it('does not count the bot\'s outbox claims, acks and sessions against its address', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await claim(bot)).status);
    statuses.push((await t.http.post('/api/v1/outbox/ack').set(bot).send({ acks: [{ id: '0123456789abcdef01234567', claimToken: 'x' }] })).status);
    for (let i = 0; i < 3; i++) statuses.push((await t.http.post('/api/v1/bot/sessions').set(bot).send({ contactId: `wxid_${i}` })).status);
    expect(statuses).toEqual(Array(10).fill(200));
  });

  it.each<[string, () => Record<string, string>]>([
    ['a wrong X-Bot-Token', () => ({ 'X-Bot-Token': `${t.config.botToken}x` })],
    ['no X-Bot-Token', () => ({})],
  ])('still counts requests with %s against the address', async (_name, headers) => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await claim(headers())).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
  });

  it('still counts the account of a user the bot acts for', async () => {
    const token = (await t.http.post('/api/v1/bot/sessions').set(bot).send({ contactId: 'wxid_busy' })).body.data.accessToken;
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await t.http.patch('/api/v1/me').set({ ...bot, Authorization: `Bearer ${token}` }).send({ displayName: `名${i}` })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });
});
