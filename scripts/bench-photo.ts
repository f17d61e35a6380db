// The photo half of the report-submission benchmark (issue 10, "Performance"). The lead's `npm run bench` takes
// makeBenchPhoto() for its multipart POST /api/v1/hazards row; run directly (`npx tsx scripts/bench-photo.ts`) it
// times processPhoto on such a photo and says where the time goes: decode, resize and encode of the full photo, the
// thumbnail, and the fsynced writes of both to the embedded file store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { processPhoto, PHOTO_MAX_EDGE } from '../src/modules/files/photos';
import { createEmbeddedStorage } from '../src/storage/embedded';

/**
 * A phone-like photo: 3000x2000 JPEG of a scene with sensor noise, about 1 MB, carrying camera and GPS EXIF (so the
 * benchmark pays for stripping it too). Random each call.
 */
export async function makeBenchPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#6b8e5a', noise: { type: 'gaussian', mean: 128, sigma: 9 } } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'BenchPhone', Model: 'Rider 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '29/1 33/1 3400/100', GPSLongitudeRef: 'E', GPSLongitude: '106/1 34/1 3900/100' },
    })
    .toBuffer();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const max = (xs: number[]) => Math.max(...xs);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Decode alone and resize+encode alone, to split processPhoto's one-pass full step. */
async function splitFullStep(data: Buffer): Promise<{ decodeMs: number; resizeEncodeMs: number }> {
  let decoded!: { data: Buffer; info: sharp.OutputInfo };
  const decodeMs = await timed(async () => (decoded = await sharp(data).raw().toBuffer({ resolveWithObject: true })));
  const { width, height, channels } = decoded.info;
  const resizeEncodeMs = await timed(() => sharp(decoded.data, { raw: { width, height, channels: channels as 3 } })
    .resize({ width: PHOTO_MAX_EDGE, height: PHOTO_MAX_EDGE, fit: 'inside' }).jpeg({ quality: 80 }).toBuffer());
  return { decodeMs, resizeEncodeMs };
}

/** Puts of the full photo and its thumbnail into an embedded store at the given fsync level. */
async function storeMs(sync: 'full' | 'normal', full: Buffer, thumb: Buffer, runs: number): Promise<number[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nuanxin-bench-photo-'));
  const storage = createEmbeddedStorage({ dataDir: dir, sync });
  try {
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      out.push(await timed(async () => {
        await storage.files.put(`bench/${i}/1.jpg`, full, 'image/jpeg');
        await storage.files.put(`bench/${i}/1.thumb.jpg`, thumb, 'image/jpeg');
      }));
    }
    return out;
  } finally {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_PHOTO_RUNS ?? 15);
  const photo = await makeBenchPhoto();
  const meta = await sharp(photo).metadata();
  console.log(`input: ${meta.width}x${meta.height} JPEG, ${photo.length} bytes, EXIF ${meta.exif?.length ?? 0} bytes; ${runs} runs, libvips threads ${sharp.concurrency()}`);
  for (let i = 0; i < 2; i++) await processPhoto(photo); // warm-up

  const results = [];
  for (let i = 0; i < runs; i++) results.push(await processPhoto(photo));
  const splits = [];
  for (let i = 0; i < Math.min(runs, 5); i++) splits.push(await splitFullStep(photo));
  const last = results[results.length - 1] as Awaited<ReturnType<typeof processPhoto>>;
  const durable = await storeMs('full', last.full, last.thumb, runs);
  const relaxed = await storeMs('normal', last.full, last.thumb, runs);

  const row = (step: string, xs: number[]) => ({ step, 'median ms': Number(median(xs).toFixed(1)), 'max ms': Number(max(xs).toFixed(1)) });
  console.table([
    row('header checks (sniff + metadata)', results.map((r) => r.timings.inspectMs)),
    row('full: decode+orient+resize+encode', results.map((r) => r.timings.fullMs)),
    row('  of which decode alone (3000x2000)', splits.map((s) => s.decodeMs)),
    row('  of which resize+encode alone', splits.map((s) => s.resizeEncodeMs)),
    row('thumbnail (from the 2048 px JPEG)', results.map((r) => r.timings.thumbMs)),
    row('processPhoto total', results.map((r) => r.timings.inspectMs + r.timings.fullMs + r.timings.thumbMs)),
    row('store full+thumb, EMBEDDED_SYNC=full (fsync)', durable),
    row('store full+thumb, EMBEDDED_SYNC=normal', relaxed),
  ]);
  console.log(`output: ${last.width}x${last.height}, ${last.bytes} bytes; thumbnail ${last.thumb.length} bytes`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
