import { createReadStream } from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import { z } from 'zod';
import { NotFoundError } from '../../shared/errors';
import { buildOpenApiDocument, type OpenApiDocument } from '../../shared/openapi/document';
import { route } from '../../shared/openapi/route';

// Swagger UI from the swagger-ui-dist package, served by the service itself: no CDN, and no inline script, so the
// page works under a strict Content-Security-Policy (script-src 'self').
const UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, { file: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'application/javascript; charset=utf-8' },
  'favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
  'favicon-16x16.png': { file: 'favicon-16x16.png', type: 'image/png' },
};

const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const PAGE = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>川渝暖新骑手服务 API 文档</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

/** What the page needs and nothing more; inline styles are Swagger UI's own (style attributes). */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
  + "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const tags = ['docs'];
const access = 'none';

/**
 * GET /openapi.json (built once, on first request, from the routers given plus this one) and the reference page
 * at GET /docs with its files under /docs/…. Mounted before authentication: public.
 */
export function docsRoutes(routers: readonly Router[]): Router {
  const router = new Router();
  let document: OpenApiDocument | undefined;

  route(router, {
    method: 'get', path: '/openapi.json', tags, access, summary: '本服务的 OpenAPI 3.1 文档',
    description: '由校验请求的同一组 zod 模式生成。', responses: {
      200: { description: 'OpenAPI 3.1 文档', schema: z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }) },
    },
  }, (ctx) => {
    document ??= buildOpenApiDocument([...routers, router]);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = document;
  });
  route(router, {
    method: 'get', path: '/docs', tags, access, summary: 'API 参考页面（Swagger UI）',
    responses: { 200: { description: 'HTML 页面', contentType: 'text/html', schema: { type: 'string' } } },
  }, (ctx) => {
    ctx.set('Content-Security-Policy', PAGE_CSP);
    ctx.type = 'html';
    ctx.body = PAGE;
  });
  route(router, {
    method: 'get', path: '/docs/:asset', tags, access, summary: '参考页面所用的脚本、样式和图标',
    params: z.object({ asset: z.enum(['init.js', ...Object.keys(ASSETS)]) }),
    responses: { 200: { description: '静态文件', contentType: 'application/octet-stream', schema: { type: 'string' } } },
  }, (ctx) => {
    const name = ctx.params.asset as string;
    ctx.set('Cache-Control', 'public, max-age=3600');
    if (name === 'init.js') {
      ctx.type = 'application/javascript; charset=utf-8';
      ctx.body = INIT_JS;
      return;
    }
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw new NotFoundError(`没有这个文件：${name}`);
    ctx.type = asset.type;
    ctx.body = createReadStream(path.join(UI_DIR, asset.file));
  });
  return router;
}
