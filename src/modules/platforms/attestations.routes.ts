import Router from '@koa/router';
import type { Context } from 'koa';
import type { FeatureContext } from '../../feature';
import { parseJson, readRaw } from '../../shared/body';
import { UnsupportedMediaTypeError, ValidationError } from '../../shared/errors';
import { route } from '../../shared/openapi/route';
import { createLimiter } from '../../shared/rate-limit';
import { createSealer } from '../../shared/sealed';
import { validate } from '../../shared/validate';
import type { IdentityStorage } from '../identity/identity.types';
import { createAttestationService } from './attestations.service';
import { platformDocs as docs } from './platforms.openapi';
import { attestationBody, type AttestationBody } from './platforms.schema';
import type { PlatformsStorage } from './platforms.types';
import { readSignedHeaders } from './signature';

/** An attestation is a few hundred bytes; anything near this is not one. */
const BODY_LIMIT_BYTES = 16 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The signed body as JSON, then the schema; each failure is a 422 with its reason. */
function parseBody(ctx: Context, raw: Buffer): AttestationBody {
  if (!ctx.is('application/json', '+json')) throw new UnsupportedMediaTypeError(['application/json']);
  let value: unknown;
  try {
    value = parseJson(utf8.decode(raw));
  } catch (err) {
    const message = err instanceof ValidationError ? err.message : '请求体不是合法的 UTF-8 编码';
    throw new ValidationError(message, { reason: 'body_not_json' }, 422);
  }
  try {
    return validate(attestationBody, value, 422);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(err.message, { reason: 'invalid_body', fields: err.details }, 422);
  }
}

/**
 * POST /api/v1/platform/attestations, from a platform's server, authenticated only by its signature over the raw
 * body: mounted before the JSON body parser, so the bytes checked are the bytes sent.
 */
export function attestationRoutes(deps: FeatureContext<PlatformsStorage & IdentityStorage>): Router {
  const { storage, clock, config } = deps;
  const service = createAttestationService({
    storage, clock, sealer: createSealer(config.secretsKey), maxAgeDays: config.platforms.attestationMaxAgeDays,
    limiter: createLimiter('platform-attestation', config.platforms.attestationsPerMinute, storage.limiterStore()),
  });
  const router = new Router({ prefix: '/api/v1/platform/attestations' });
  route(router, docs.attest, async (ctx) => {
    const headers = readSignedHeaders((name) => ctx.get(name));
    const key = await service.admit(headers);
    const raw = await readRaw(ctx, BODY_LIMIT_BYTES);
    await service.verify(key, headers, raw);
    const made = await service.record(key, parseBody(ctx, raw));
    ctx.state.log.info({ module: 'platforms', keyId: key.id, platform: key.platform, attestationId: made.id }, 'attestation recorded');
    ctx.status = 201;
    ctx.body = { data: { id: made.id, receivedAt: made.receivedAt.toISOString() } };
  });
  return router;
}
