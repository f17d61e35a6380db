// kill -9 between an approval and its delivery loses no outbox event.
//
// Managers approve many access requests at once on the real server process; it is SIGKILLed while approvals are in
// flight. After a restart on the same data dir, every request stored as approved, and so every approval that was
// acknowledged, has its access.approved event waiting for the bot, exactly once.
//
// The test can fail. Checked by hand (and reverted, never committed): in access.service.ts grant() wrote the notice
// after the transaction with `setTimeout(() => deps.emit([...]), 30)` instead of inside it. Failed 3 of 3 runs
// (the acknowledged approvals had no event).
import type { ChildProcess } from 'node:child_process';
import { startServer } from '../helpers/server-process';
import { tempDir } from '../helpers/storage';

const BOT = { 'X-Bot-Token': 'test-bot-token-0123456789abcdef0123' };
const N = 24;

async function call(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as { data?: unknown } | null };
}

const login = async (base: string, role: string, city = 'chongqing') =>
  ({ Authorization: `Bearer ${((await call(base, 'POST', '/api/v1/auth/dev', {}, { role, city })).body as unknown as { accessToken: string }).accessToken}` });

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('outbox across kill -9', () => {
  jest.setTimeout(60_000);

  it('keeps the event of every approval that committed', async () => {
    const dir = tempDir();
    let { child, base } = await startServer(dir);
    const admin = await login(base, 'city_admin');
    const rider = await login(base, 'rider');
    const requestIds: string[] = [];
    for (let i = 0; i < N; i++) {
      const c = await call(base, 'POST', '/api/v1/compounds', admin, {
        name: `测试小区 ${i}`, city: 'chongqing', district: '渝中区', address: `民族路 ${i} 号`,
        location: { lng: 106.57 + i * 0.001, lat: 29.55 }, gates: [{ id: 'east', name: '东门' }],
      });
      const r = await call(base, 'POST', '/api/v1/access-requests', rider, { compoundId: (c.body?.data as { id: string }).id });
      requestIds.push((r.body?.data as { request: { id: string } }).request.id);
    }
    // Every approval at once; the kill lands while some are answered and some are not.
    const acknowledged: string[] = [];
    let firstAck!: () => void;
    const answered = new Promise<void>((r) => (firstAck = r));
    const inFlight = requestIds.map((id) => call(base, 'POST', `/api/v1/access-requests/${id}/approve`, admin, {})
      .then((res) => {
        if (res.status === 200) acknowledged.push(id);
        firstAck();
      }, () => undefined));
    await answered; // killed right after the first approval is acknowledged, with the others still in flight
    await killed(child);
    await Promise.all(inFlight);
    expect(acknowledged.length).toBeGreaterThan(0);

    ({ child, base } = await startServer(dir));
    try {
      const admin2 = await login(base, 'city_admin');
      const stored = await call(base, 'GET', `/api/v1/access-requests?status=approved&limit=100`, admin2);
      const approved = (stored.body?.data as Array<{ id: string }>).map((r) => r.id);
      expect(approved).toEqual(expect.arrayContaining(acknowledged));
      const events: Array<{ type: string; payload: { requestId: string } }> = [];
      for (;;) {
        const claim = await call(base, 'POST', '/api/v1/outbox/claim', BOT, { consumer: 'bot', limit: 100 });
        expect(claim.status).toBe(200);
        const batch = claim.body?.data as Array<{ id: string; claimToken: string; type: string; payload: { requestId: string } }>;
        if (batch.length === 0) break;
        events.push(...batch);
        await call(base, 'POST', '/api/v1/outbox/ack', BOT, { acks: batch.map((e) => ({ id: e.id, claimToken: e.claimToken })) });
      }
      const notified = events.filter((e) => e.type === 'access.approved').map((e) => e.payload.requestId);
      const missing = approved.filter((id) => !notified.includes(id));
      expect({ 'approved without an event': missing }).toEqual({ 'approved without an event': [] });
      expect(new Set(notified).size).toBe(notified.length); // once each
      expect(notified.every((id) => approved.includes(id))).toBe(true); // and none for an approval that rolled back
    } finally {
      await killed(child);
    }
  });
});
