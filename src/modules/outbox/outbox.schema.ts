import { z } from 'zod';
import { CITIES } from '../../shared/domain';
import { ID_PATTERN } from '../../storage/ids';

/** Largest payload of one event, as JSON: a notification, not a document. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;

/** What emit() accepts: checked before anything is written, since a bad event is the calling feature's bug. */
export const outboxEventInputSchema = z.strictObject({
  type: z.string().regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/, 'like access.approved'),
  dedupeId: z.string().min(1).max(200),
  recipient: z.strictObject({ kind: z.enum(['rider', 'staff']), id: z.string().regex(ID_PATTERN) }),
  city: z.enum(CITIES).nullable(),
  payload: z.record(z.string(), z.unknown())
    .refine((p) => Buffer.byteLength(JSON.stringify(p)) <= MAX_PAYLOAD_BYTES, `at most ${MAX_PAYLOAD_BYTES} bytes as JSON`),
});
