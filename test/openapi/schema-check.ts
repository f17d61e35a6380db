import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { OpenApiDocument } from '../../src/shared/openapi/document';

type Json = Record<string, unknown>;
const DOC_ID = 'openapi:document';

/** A deep copy whose '#/components/…' refs point into the document registered with ajv. */
function rebase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) =>
    [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${DOC_ID}${v}` : rebase(v)]));
}

/** Validates values against the JSON Schemas (2020-12) of an OpenAPI document, refs to its components included. */
export function schemaChecker(doc: OpenApiDocument) {
  // Formats are not enforced: zod writes a pattern next to each format it emits, and patterns are.
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema({ $id: DOC_ID, components: rebase(doc.components) });
  const compiled = new WeakMap<object, ValidateFunction>();
  return {
    /** null when the value passes, else ajv's first errors as text. */
    check(schema: Json, value: unknown): string | null {
      let validate = compiled.get(schema);
      if (!validate) {
        validate = ajv.compile(rebase(schema) as Json);
        compiled.set(schema, validate);
      }
      return validate(value) ? null : ajv.errorsText(validate.errors?.slice(0, 3));
    },
    /** A component schema by name (Error, TokenPair…). */
    component(name: string): Json {
      return (doc.components.schemas as Record<string, Json>)[name] as Json;
    },
  };
}

/** Every operation of the document with its method and path. */
export function operations(doc: OpenApiDocument): Array<{ method: string; path: string; op: Json & { responses: Record<string, Json> } }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, path, op: op as Json & { responses: Record<string, Json> } })));
}

/** A response object with its $ref resolved against components.responses. */
export function resolveResponse(doc: OpenApiDocument, r: Json): Json {
  const ref = r.$ref as string | undefined;
  if (!ref) return r;
  return (doc.components.responses as Record<string, Json>)[ref.split('/').pop() as string] as Json;
}
