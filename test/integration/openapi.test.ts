import { execFileSync } from 'node:child_process';
import type { Layer, Router } from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { openApiPath, type OpenApiDocument } from '../../src/shared/openapi/document';
import { docOf, type RouteDoc } from '../../src/shared/openapi/route';
import { buildTestApp, type TestApp } from '../helpers/app';
import { pathHeads } from '../../src/app';
import { operations, resolveResponse, schemaChecker } from '../openapi/schema-check';

type Json = Record<string, unknown>;

/** The routers the app really mounts, found in its middleware (app.ts's mount keeps them on the middleware it adds). */
function mountedRouters(app: Koa): Router[] {
  return app.middleware.flatMap((mw) => (mw as { routers?: Router[] }).routers ?? []);
}

/** "GET /api/v1/stations/{id}" for every route layer (HEAD rides along with GET and is not listed). */
function mountedRoutes(app: Koa): string[] {
  return mountedRouters(app).flatMap((r) => r.stack)
    .flatMap((l) => l.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${openApiPath(String(l.path))}`));
}

let t: TestApp;
let doc: OpenApiDocument;

beforeAll(async () => {
  t = await buildTestApp();
  const res = await t.http.get('/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(() => t.close());

describe('mounting', () => {
  // app.ts runs a router only for paths starting with one of its heads: a head that missed a route would 404 it.
  it('gives every route a path head of its router that the route\'s paths start with', () => {
    const samples = mountedRouters(t.app).flatMap((r) => r.stack.filter((l) => l.methods.length > 0).map((l) => {
      // A concrete path the route matches: parameters filled in, optional groups taken.
      const sample = String(l.path).replace(/:(\w+)/g, (_m, name: string) => (name === 'format' ? 'json' : 'x1')).replace(/[{}]/g, '');
      return { route: String(l.path), sample, matches: r.match(sample, l.methods[0] as string).route, heads: pathHeads(r) };
    }));
    expect(samples.length).toBeGreaterThan(40);
    const missed = samples.filter((s) => !s.matches || !s.heads.some((h) => s.sample.startsWith(h)));
    expect(missed).toEqual([]);
    // And the filter does filter: no router runs for every path.
    expect(mountedRouters(t.app).filter((r) => pathHeads(r).includes(''))).toEqual([]);
  });

  it('matches paths regardless of case, as @koa/router does', async () => {
    expect((await t.http.get('/HEALTHZ')).status).toBe(200);
    expect((await t.http.get('/OpenAPI.json')).status).toBe(200);
    expect((await t.http.get('/API/V1/Stations/nearby').query({ lng: 106.58, lat: 29.56 })).status).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  it('lists every mounted route, prefix included, and nothing that is not mounted', () => {
    const documented = operations(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    const mounted = mountedRoutes(t.app).sort();
    expect(mounted.length).toBeGreaterThan(40);
    expect({ undocumented: mounted.filter((r) => !documented.includes(r)) }).toEqual({ undocumented: [] });
    expect({ notMounted: documented.filter((r) => !mounted.includes(r)) }).toEqual({ notMounted: [] });
  });

  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', () => {
    // The validator is an ES module; it runs in its own node process on the served document.
    const script = `import { Validator } from '@seriousme/openapi-schema-validator';
      let text = ''; for await (const c of process.stdin) text += c;
      const r = await new Validator().validate(JSON.parse(text));
      process.stdout.write(JSON.stringify({ valid: r.valid, errors: r.errors ?? null }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(doc), cwd: process.cwd() });
    expect(JSON.parse(out.toString())).toEqual({ valid: true, errors: null });
  });

  it('describes every error status with the one error shape, and every write with its auth', () => {
    const errorShape = { $ref: '#/components/schemas/Error' };
    // The one exception: Open311's routes answer errors as that standard says, an array of {code, description}.
    const open311Shape = { $ref: '#/components/schemas/Open311Errors' };
    for (const { method, path, op } of operations(doc)) {
      for (const [status, r] of Object.entries(op.responses)) {
        if (Number(status) < 400 || (path === '/readyz' && status === '503')) continue;
        const content = resolveResponse(doc, r).content as Record<string, { schema: unknown }>;
        const shape = path.startsWith('/open311/') ? open311Shape : errorShape;
        expect([`${method} ${path} ${status}`, content['application/json']?.schema]).toEqual([`${method} ${path} ${status}`, shape]);
      }
      // A write names the roles it lets in, or a service credential (the bot's X-Bot-Token, a partner's signature,
      // an Open311 client's api_key).
      const service = (op.security as Array<Record<string, unknown>> | undefined)?.some((sc) => 'botToken' in sc || 'requestSignature' in sc || 'apiKey' in sc);
      if (method !== 'get' && !path.startsWith('/api/v1/auth/')) {
        expect([`${method} ${path}`, service || Array.isArray(op['x-roles'])]).toEqual([`${method} ${path}`, true]);
      }
    }
  });

  it('has examples that pass their own schemas (JSON Schema in the document)', () => {
    const { check } = schemaChecker(doc);
    let checked = 0;
    const failures: string[] = [];
    const visit = (where: string, media: Record<string, { schema?: Json; example?: unknown }> | undefined) => {
      for (const [type, m] of Object.entries(media ?? {})) {
        if (m.example === undefined || !m.schema) continue;
        checked++;
        const error = check(m.schema, m.example);
        if (error) failures.push(`${where} ${type}: ${error}`);
      }
    };
    for (const { method, path, op } of operations(doc)) {
      visit(`${method} ${path} request`, (op.requestBody as Json | undefined)?.content as never);
      for (const [status, r] of Object.entries(op.responses)) visit(`${method} ${path} ${status}`, resolveResponse(doc, r).content as never);
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(60);
  });

  it('has request examples that pass the zod schemas the handlers validate with', () => {
    const docs = mountedRouters(t.app).flatMap((r) => r.stack).map((l: Layer) => docOf(l)).filter((d): d is RouteDoc => !!d);
    const failures: string[] = [];
    const parse = (where: string, schema: unknown, example: unknown) => {
      if (!(schema instanceof z.ZodType) || example === undefined) return;
      const r = schema.safeParse(example);
      if (!r.success) failures.push(`${where}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    };
    for (const d of docs) {
      if (d.body instanceof z.ZodType) parse(`${d.method} ${d.path}`, d.body, d.bodyExample);
      else for (const [type, m] of Object.entries(d.body?.content ?? {})) parse(`${d.method} ${d.path} ${type}`, m.schema, m.example);
      for (const [status, r] of Object.entries(d.responses)) parse(`${d.method} ${d.path} ${status}`, r.schema, r.example);
    }
    expect(failures).toEqual([]);
  });

  it('documents query coercions as the strings they arrive as', () => {
    const nearby = doc.paths['/api/v1/stations/nearby']?.get as Json;
    const params = Object.fromEntries((nearby.parameters as Array<{ name: string; schema: Json; required: boolean }>).map((p) => [p.name, p]));
    expect(params.lng?.schema).toMatchObject({ type: 'string', pattern: expect.any(String) });
    expect(params.limit).toMatchObject({ schema: { type: 'string', pattern: '^\\d+$' }, description: '整数，1 到 50' });
    expect(params.place?.schema).toMatchObject({ type: 'string', maxLength: 50 });
    expect(params.hasSeats?.schema).toMatchObject({ enum: expect.arrayContaining(['true', 'false']) });
    expect(params.lng?.required).toBe(false);
  });
});

describe('the reference page', () => {
  it('serves Swagger UI from the service, scripts as files under a strict CSP', async () => {
    const page = await t.http.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(page.text).not.toMatch(/https?:\/\//); // nothing from a CDN
    const assets = [...page.text.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toEqual(expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/init.js', '/docs/swagger-ui.css']));
    for (const a of assets) {
      const res = await t.http.get(a).buffer(true).parse((r, done) => { r.on('data', () => undefined); r.on('end', () => done(null, null)); });
      expect([a, res.status]).toEqual([a, 200]);
    }
    const init = await t.http.get('/docs/init.js');
    expect(init.text).toContain("url: '/openapi.json'");
  });

  it('refuses files it does not serve with the error shape', async () => {
    const res = await t.http.get('/docs/..%2Fpackage.json');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ status: 404, code: 'not_found' });
  });
});
