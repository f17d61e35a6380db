import { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { z } from 'zod';
import { errorBodySchema } from './api-contract';
import { ApiError, UNAVAILABLE_MESSAGE } from './api-error';

function suggestionsOf(details: unknown): string[] {
  const s = (details as { suggestions?: unknown } | null | undefined)?.suggestions;
  return Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string') : [];
}

/** The details' 'field' and 'outside', from an object or the first entry of a list of problems. */
function blamed(details: unknown): { field: string | null; outside: string | null } {
  const d = (Array.isArray(details) ? details[0] : details) as { field?: unknown; outside?: unknown } | null | undefined;
  return { field: typeof d?.field === 'string' ? d.field : null, outside: typeof d?.outside === 'string' ? d.outside : null };
}

/** Any failure as an ApiError: the service's own 4xx message, or a friendly "unavailable" for the rest. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const res = err instanceof AxiosError ? err.response : undefined;
  if (!res) return new ApiError(UNAVAILABLE_MESSAGE, { status: 0, code: 'unavailable' });
  const body = errorBodySchema.safeParse(res.data);
  if (res.status >= 500 || !body.success) return new ApiError(UNAVAILABLE_MESSAGE, { status: res.status, code: 'unavailable' });
  const { code = 'error', message, details } = body.data.error;
  return new ApiError(message, { status: res.status, code, suggestions: suggestionsOf(details), ...blamed(details) });
}

/** One request whose 2xx body must match `schema`; every failure is thrown as an ApiError. */
export async function callApi<S extends z.ZodType>(http: AxiosInstance, request: AxiosRequestConfig, schema: S): Promise<z.output<S>> {
  try {
    const res = await http.request<unknown>(request);
    const parsed = schema.safeParse(res.data);
    if (!parsed.success) throw new ApiError(UNAVAILABLE_MESSAGE, { status: res.status, code: 'bad_response' });
    return parsed.data;
  } catch (err) {
    throw toApiError(err);
  }
}
