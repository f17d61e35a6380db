import Router from '@koa/router';
import type { Context } from 'koa';
import type { Config } from '../../shared/config';
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import { route } from '../../shared/openapi/route';
import { createLimiter, type LimiterStore } from '../../shared/rate-limit';
import { cityAt } from '../../shared/service-area';
import type { Clock } from '../../shared/time';
import { validate } from '../../shared/validate';
import { categoryOf, HAZARD_CATEGORIES } from '../hazards/categories';
import type { HazardService } from '../hazards/hazards.service';
import { fieldsOf, parsePairs, readForm } from './form';
import { clip, jurisdictionOf, mustBeJson, pointOf, readQuery, refuse } from './georeport.input';
import type { KeyService } from './keys.service';
import { open311Errors } from './open311.errors';
import { georeportDocs as docs } from './open311.openapi';
import { jurisdictionQuery, postForm, requestsQuery } from './open311.schema';
import { definitionView, requestView, serviceView } from './open311.view';
import type { RequestReader } from './requests.service';

export interface GeoreportDeps {
  config: Readonly<Config>;
  clock: Clock;
  limiterStore: LimiterStore;
  hazards: HazardService;
  keys: KeyService;
  requests: RequestReader;
}

/** GeoReport v2 under /open311/v2, answering errors in Open311's shape; mounted before authentication. */
export function georeportRoutes(deps: GeoreportDeps): Router {
  const { config, clock, keys, requests } = deps;
  // Mounted before the service's per-IP write limit, so it counts the address itself, and each key apart.
  const limiter = createLimiter('open311-request', config.rateLimit.writePerMinute, deps.limiterStore);
  const base = (c: Context) => config.publicBaseUrl || `${c.protocol}://${c.host}`;
  const router = new Router({ prefix: '/open311/v2' });
  router.use(open311Errors());

  route(router, docs.services, (c) => {
    readQuery(c, jurisdictionQuery);
    c.set('Cache-Control', 'public, max-age=3600');
    c.body = HAZARD_CATEGORIES.map(serviceView);
  });
  route(router, docs.definition, (c) => {
    readQuery(c, jurisdictionQuery);
    const category = categoryOf(String(c.params.service_code));
    if (!category) throw new NotFoundError(`没有这个 service_code：${clip(String(c.params.service_code))}`);
    c.body = definitionView(category);
  });
  route(router, docs.create, async (c) => {
    mustBeJson(c);
    const fields = fieldsOf([...parsePairs(c.querystring), ...(await readForm(c, config.bodyLimitBytes))]);
    await limiter.consume(`ip:${c.ip}`);
    const client = fields.api_key === undefined ? null : await keys.check(fields.api_key);
    if (!client) throw new ForbiddenError(fields.api_key === undefined ? '缺少 api_key，不能提交上报' : 'api_key 无效或已吊销，不能提交上报');
    if (client.rider.status !== 'active') throw new ForbiddenError('此 api_key 的服务账号已停用，请联系发放密钥的城市管理员');
    await limiter.consume(`key:${client.key.id}`);
    const city = jurisdictionOf(fields);
    if (client.key.city !== city) throw new ForbiddenError(`此 api_key 属于辖区 ${client.key.city}，不能向 ${city} 提交`);
    if (fields.service_code === undefined) throw refuse('service_code', '缺少 service_code（见 services.json）');
    if (!categoryOf(fields.service_code)) throw new NotFoundError(`没有这个 service_code：${clip(fields.service_code)}（见 services.json）`);
    const form = validate(postForm, fields);
    const location = pointOf(form);
    const at = cityAt(location);
    if (at && at !== city) throw refuse('lat', `该位置在辖区 ${at}，不在 ${city}：请改用 jurisdiction_id=${at}`);
    const report = await deps.hazards.create(client.rider, {
      category: form.service_code, description: form.description ?? '', location, address: form.address_string ?? null, district: null,
    }, []);
    c.status = 201;
    c.set('Location', `/open311/v2/requests/${report.id}.json?jurisdiction_id=${city}`);
    c.body = [{ service_request_id: report.id, service_notice: report.route.why, account_id: null }];
  });
  route(router, docs.requests, async (c) => {
    const { city, q } = readQuery(c, requestsQuery);
    const found = await requests.list(city, q, clock.now());
    c.body = found.map((r) => requestView(r, base(c)));
  });
  route(router, docs.request, async (c) => {
    const { city } = readQuery(c, jurisdictionQuery);
    c.body = [requestView(await requests.one(city, String(c.params.service_request_id)), base(c))];
  });
  route(router, docs.token, async (c) => {
    const { city } = readQuery(c, jurisdictionQuery);
    const token = String(c.params.token);
    const r = await requests.one(city, token).catch((err: unknown) => {
      throw err instanceof NotFoundError ? new NotFoundError(`没有这个 token：${clip(token)}（在辖区 ${city} 内）`) : err;
    });
    c.body = [{ service_request_id: r.id, token }];
  });
  return router;
}
