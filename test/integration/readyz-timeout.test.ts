import { buildTestApp, type TestApp } from '../helpers/app';

describe('GET /readyz', () => {
  let a: TestApp;
  let realPing: () => Promise<void>;
  beforeEach(async () => {
    a = await buildTestApp();
    realPing = a.storage.ping;
  });
  afterEach(async () => {
    a.storage.ping = realPing;
    await a.close();
  });

  it('answers 200 ready while the store answers its ping', async () => {
    const res = await a.http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', storage: 'embedded' });
  });

  it('answers 503 within 2 s when the store never answers its ping', async () => {
    // The app keeps this very storage object: a ping that hangs stands for a MongoDB that stopped answering.
    a.storage.ping = () => new Promise<void>(() => undefined);
    const started = Date.now();
    const res = await a.http.get('/readyz');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', storage: 'embedded' });
  });

  it('answers 503 at once when the ping fails', async () => {
    a.storage.ping = () => Promise.reject(new Error('connection refused'));
    const res = await a.http.get('/readyz');
    expect(res.status).toBe(503);
  });
});
