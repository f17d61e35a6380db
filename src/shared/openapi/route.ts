import type { Layer, Router, RouterMiddleware } from '@koa/router';
import type { z } from 'zod';

/** Roles as the policy names them; 'rider' is the mini-program user, the others are staff. */
export const ROLES = ['rider', 'city_admin', 'station_operator', 'merchant_owner', 'property_manager', 'gate_guard', 'body_staff'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ONLY: readonly Role[] = ROLES.filter((r) => r !== 'rider');

/**
 * Who may call a route:
 * - 'none': mounted before authentication (health, docs); no token is read;
 * - 'public': anyone; a sent bearer token is still checked (a bad one is 401);
 * - 'bot': the bot process, header X-Bot-Token;
 * - 'signed': a partner's server (a delivery platform), authenticated only by its signature over the request
 *   (X-Platform-Key, X-Timestamp, X-Nonce, X-Signature); no user token;
 * - 'apiKey': a client's server holding an API key a city's administrators issued (Open311's api_key), mounted
 *   before authentication: no user token is read;
 * - 'user': any logged-in rider or staff member; 'staff': any staff member;
 * - a list of roles (the policy may narrow further to the caller's city or holdings).
 */
export type Access = 'none' | 'public' | 'bot' | 'signed' | 'apiKey' | 'user' | 'staff' | readonly Role[];

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Error statuses a route can answer besides those derived from its access, method, params and schemas. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 502 | 503;

/** A JSON Schema written by hand, for bodies zod does not parse (CSV text, the metrics exposition). */
export type JsonSchema = Record<string, unknown>;

export interface MediaDoc {
  schema: z.ZodType | JsonSchema;
  example?: unknown;
}

export interface ResponseDoc {
  description: string;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
  schema?: z.ZodType | JsonSchema;
  /** Name under components.schemas, for shapes several routes share. */
  name?: string;
  example?: unknown;
  headers?: Record<string, string>;
}

export interface RouteDoc {
  method: HttpMethod;
  /** As koa-router takes it, relative to the router's prefix: '/:id/occupancy'. */
  path: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  access: Access;
  /** Path parameters; the document only (handlers read ctx.params). */
  params?: z.ZodObject;
  /** The query schema the handler validates. */
  query?: z.ZodType;
  /** The JSON body schema the handler validates (io: input), or media types for other bodies. */
  body?: z.ZodType | { content: Record<string, MediaDoc>; required?: boolean };
  /** An example JSON body (Chinese where users see text); tests check it passes `body`. */
  bodyExample?: unknown;
  /** Success responses by status. */
  responses: Record<number, ResponseDoc>;
  errors?: readonly ErrorStatus[];
  /**
   * Routes that answer errors in another standard's shape (Open311's array of {code, description}) name it here:
   * the document describes their error statuses with this schema (under `name`) instead of the service's own.
   */
  errorBody?: { name: string; schema: z.ZodType; response(status: number): Omit<ResponseDoc, 'schema' | 'name'> };
}

const docs = new WeakMap<Layer, RouteDoc>();

/**
 * Registers a route and its documentation in one declaration: `router[doc.method](doc.path, ...middleware)`.
 * Handlers still validate with the same schema objects themselves (after authorising), so behaviour is unchanged.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers keep the context type each router gives them
export function route(router: Router<any, any>, doc: RouteDoc, ...middleware: Array<RouterMiddleware<any, any>>): void {
  const before = router.stack.length;
  (router[doc.method] as (path: string, ...mw: typeof middleware) => unknown).call(router, doc.path, ...middleware);
  const layer = router.stack[before];
  if (!layer || router.stack.length !== before + 1) throw new Error(`route ${doc.method} ${doc.path}: no single layer was added`);
  docs.set(layer, doc);
}

/** The documentation registered for a router layer, if any. */
export function docOf(layer: Layer): RouteDoc | undefined {
  return docs.get(layer);
}

/** The roles an access level lets in (null: anyone, anonymous included; [] : no user, a service token). */
export function rolesOf(access: Access): readonly Role[] | null {
  if (access === 'none' || access === 'public') return null;
  if (access === 'bot' || access === 'signed' || access === 'apiKey') return [];
  if (access === 'user') return ROLES;
  if (access === 'staff') return STAFF_ONLY;
  return access;
}
