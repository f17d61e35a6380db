import { constants } from 'node:zlib';
import etag from '@koa/etag';
import type { Context, Middleware, Next } from 'koa';
import compose from 'koa-compose';
import compress from 'koa-compress';
import helmet from 'helmet';
import type { Config } from './config';

/** GETs whose answers carry an ETag and may be answered 304: the GBFS feed and one station's detail. */
// Any case and a trailing slash, as the router matches them.
const CONDITIONAL_PATHS = /^\/(?:gbfs\/[\w.]+|api\/v1\/stations\/[0-9a-f]{24})\/?$/i;

const HALF_YEAR_S = 180 * 24 * 3600;

// helmet works the same headers out for every answer; they depend only on the configuration, so they are taken
// from helmet once (helmetHeaders) and set as they are: helmet per request cost ~5% of nearby throughput.
// The /docs page replaces the content security policy with its own.

/** The headers helmet sets with this configuration, captured by running it once against a recording response. */
function helmetHeaders(config: Pick<Config, 'env'>): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | string[]) => {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name];
    },
  };
  let ran = false;
  helmetMiddleware(config)({ secure: true } as never, res as never, () => {
    ran = true;
  });
  if (!ran) throw new Error('helmet did not finish synchronously');
  return headers;
}

function helmetMiddleware(config: Pick<Config, 'env'>) {
  return helmet({
    // JSON answers need no sources at all (OWASP REST Security); the /docs page sets its own policy for its
    // same-origin script and styles (docs.routes.ts).
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    xFrameOptions: { action: 'deny' },
    // Not on a developer's plain-http 127.0.0.1; no includeSubDomains: the departments' other hosts are not ours.
    strictTransportSecurity: config.env === 'development' ? false : { maxAge: HALF_YEAR_S, includeSubDomains: false },
    // Kept: CSP, X-Frame-Options, nosniff, HSTS, Referrer-Policy, CORP. Off: headers for documents that open popups
    // or for browsers long gone (IE8 downloads, Flash policies, the removed XSS auditor). Each header costs every
    // answer: helmet's full set of 12 took ~10% of nearby throughput in the bench, these 6 about 4%.
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
}

/** Turns a JSON body into its text once, so the ETag, the size check and the compressor do not each stringify it. */
async function jsonOnce(ctx: Context, next: Next): Promise<void> {
  await next();
  const { body } = ctx;
  // Plain objects and arrays only: streams, buffers, blobs and strings pass untouched.
  if (body !== null && typeof body === 'object' && (Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype)) {
    ctx.body = JSON.stringify(body);
  }
}

/** gzip or brotli above 1 KB, at levels that keep CPU low; requests that accept no encoding skip it (httpConventions). */
function compression(): Middleware {
  return compose([
    compress({
      threshold: 1024,
      br: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
      gzip: { level: 6 },
      deflate: false,
      zstd: false, // only on newer Node; keep one behaviour across the versions we run
    }) as Middleware,
    jsonOnce,
  ]) as Middleware;
}

/** Weak ETag (it holds across content codings) and 304 on If-None-Match, only for CONDITIONAL_PATHS. */
function conditionalGet(): Middleware {
  const conditional = compose([
    async (ctx: Context, next: Next) => {
      await next();
      if (ctx.fresh) {
        ctx.status = 304;
        ctx.body = null;
      }
    },
    etag({ weak: true }),
    jsonOnce,
  ]);
  return (ctx, next) => ((ctx.method === 'GET' || ctx.method === 'HEAD') && CONDITIONAL_PATHS.test(ctx.path) ? conditional(ctx, next) : next());
}

/** The HTTP conventions every answer follows: security headers, compression, and conditional GET where it pays. */
export function httpConventions(config: Pick<Config, 'env'>): Middleware {
  const headers = helmetHeaders(config);
  const compressed = compression();
  const conditional = conditionalGet();
  // One layer on the common path (no encoding asked, not a conditional path): each composed layer is a promise more.
  return (ctx, next) => {
    ctx.set(headers);
    // koa-compress throws (a 500) when the client accepts none of its codings and refuses identity too
    // (`identity;q=0`, `*;q=0`): such a client gets the answer uncompressed, as nginx and Express send it.
    if (ctx.get('Accept-Encoding') && ctx.acceptsEncodings('br', 'gzip')) return compressed(ctx, () => conditional(ctx, next));
    if (!ctx.response.get('Vary')) ctx.set('Vary', 'Accept-Encoding');
    else ctx.vary('Accept-Encoding');
    return conditional(ctx, next);
  };
}
