import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiClient } from './api-client';
import { ApiError } from './api-error';
import { startFakeApi, type FakeApi } from './testing/fake-api-server';
import { MERCHANTS, STATIONS } from './testing/fixtures';

describe('api client against a fake service on 127.0.0.1', () => {
  let api: FakeApi;
  beforeEach(async () => { api = await startFakeApi(); });
  afterEach(() => api.close());
  const client = () => createApiClient({ baseURL: api.baseURL, timeoutMs: 2000 });

  it('asks for stations around a GCJ-02 point with every filter', async () => {
    const result = await client().nearbyStations({
      center: { lng: 106.5775, lat: 29.5582 }, radiusM: 3000, limit: 5, openNow: true, hasSeats: true, amenities: ['hot_water', 'toilet'],
    });
    expect(result.data).toEqual(STATIONS);
    expect(result.meta).toMatchObject({ radius: 3000, count: 3, place: null });
    expect(api.requests).toEqual([{
      method: 'GET',
      path: '/api/v1/stations/nearby',
      query: { coordSys: 'gcj02', lng: '106.5775', lat: '29.5582', radius: '3000', limit: '5', openNow: 'true', hasSeats: 'true', amenities: 'hot_water,toilet' },
    }]);
  });

  it('asks for merchants by place and category, leaving out unset filters', async () => {
    const result = await client().nearbyMerchants({ center: { place: '春熙路' }, category: '餐饮', limit: 5, openNow: false });
    expect(result.data).toEqual(MERCHANTS);
    expect(api.requests[0]).toEqual({ method: 'GET', path: '/api/v1/merchants/nearby', query: { coordSys: 'gcj02', place: '春熙路', limit: '5', category: '餐饮' } });
  });

  it('turns a 404 for an unknown place into an ApiError with the suggestions', async () => {
    const err = await client().nearbyStations({ center: { place: '沙平坝' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found', message: '未找到地点「沙平坝」', suggestions: ['沙坪坝区（重庆）', '沙坪坝（重庆）'] });
  });

  it('keeps the service message for a 400', async () => {
    api.respondWith(() => ({ status: 400, body: { error: { status: 400, code: 'invalid_request', message: '参数 radius 有误：不能大于 20000', details: [{ field: 'radius' }] } } }));
    await expect(client().nearbyStations({ center: { place: '解放碑' } }))
      .rejects.toMatchObject({ status: 400, code: 'invalid_request', message: '参数 radius 有误：不能大于 20000', suggestions: [] });
  });

  it.each([
    ['a 500', 500, { error: { status: 500, code: 'internal', message: 'db exploded' } }],
    ['a 502 from a proxy with an HTML body', 502, '<html>Bad Gateway</html>'],
    ['a 200 that breaks the contract', 200, { data: [{ id: 1 }] }],
  ])('hides %s behind the friendly message', async (_name, status, body) => {
    api.respondWith(() => ({ status, body }));
    await expect(client().nearbyMerchants({ center: { place: '解放碑' } }))
      .rejects.toMatchObject({ message: '服务暂时不可用，请稍后再试', status });
  });

  it('reports a refused connection as unavailable', async () => {
    const baseURL = api.baseURL;
    await api.close();
    api = await startFakeApi(); // afterEach closes this one
    await expect(createApiClient({ baseURL, timeoutMs: 2000 }).nearbyStations({ center: { place: '解放碑' } }))
      .rejects.toMatchObject({ message: '服务暂时不可用，请稍后再试', status: 0, code: 'unavailable' });
  });

  it('gives up after the timeout', async () => {
    const slow = http.createServer(() => { /* never answers */ });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const { port } = slow.address() as AddressInfo;
    try {
      await expect(createApiClient({ baseURL: `http://127.0.0.1:${port}`, timeoutMs: 100 }).nearbyStations({ center: { place: '解放碑' } }))
        .rejects.toMatchObject({ message: '服务暂时不可用，请稍后再试', code: 'unavailable' });
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});
