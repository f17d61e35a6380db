// Report submission at city scale: multipart POST /api/v1/hazards with one ~1 MB photo, as many riders, next to a
// bare Koa route that reads an upload of the same size and answers a body of a report's size, in the same run.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEmbeddedStorage } from '../src/storage/embedded';
import { systemClock } from '../src/shared/time';
import { createSessionService } from '../src/modules/identity/sessions.service';
import { createTokenSigner } from '../src/modules/identity/tokens';
import { makeBenchPhoto } from './bench-photo';

export const BENCH_JWT_SECRET = 'bench-'.repeat(8);
const RIDERS = 50;

export interface HazardSeed {
  dir: string;
  photoBytes: number;
  requests: Array<{ method: 'POST'; path: string; headers: Record<string, string>; body: Buffer }>;
  /** The same upload for the bare route. */
  bare: { method: 'POST'; path: string; headers: Record<string, string>; body: Buffer };
}

function multipart(fields: Record<string, string>, photo: Buffer): { body: Buffer; type: string } {
  const boundary = `----nuanxin${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="IMG_0001.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), photo, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** An empty store with riders logged in, and one multipart report per rider (each a different point in 渝中区). */
export async function seedHazards(): Promise<HazardSeed> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nuanxin-bench-hazards-'));
  const storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
  const sessions = createSessionService({ storage, signer: createTokenSigner({ secret: BENCH_JWT_SECRET, ttlSeconds: 24 * 3600 }), clock: systemClock, refreshTtlDays: 1 });
  const photo = await makeBenchPhoto();
  const requests: HazardSeed['requests'] = [];
  for (let i = 0; i < RIDERS; i++) {
    const { rider } = await storage.riders.findOrCreateByOpenid(`bench-hazard-${i}`, null, new Date(), { city: 'chongqing' });
    const { accessToken } = await sessions.start('rider', rider.id);
    const { body, type } = multipart({
      category: 'pothole', description: `压测：路面坑洼 ${i}`, lng: String(106.57 + (i % 10) * 0.002), lat: String(29.55 + Math.floor(i / 10) * 0.002), coordSys: 'wgs84',
    }, photo);
    requests.push({ method: 'POST', path: '/api/v1/hazards', headers: { authorization: `Bearer ${accessToken}`, 'content-type': type }, body });
  }
  await storage.close();
  const first = requests[0] as HazardSeed['requests'][number];
  return { dir, photoBytes: photo.length, requests, bare: { method: 'POST', path: '/bare-upload', headers: { 'content-type': first.headers['content-type'] as string }, body: first.body } };
}
