import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { ValidationError } from '../../shared/errors';

/** 5 MB (MiB) per photo as uploaded; multipart uploads should stop reading at the same size. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/**
 * Decoded size refused before any pixel is decoded (a decompression bomb: a one-colour 20000x20000 PNG is a few
 * dozen KB). 64 megapixels lets the 50 MP mode of common phone cameras (8160x6144) through and stops the rest.
 */
export const PHOTO_MAX_INPUT_PIXELS = 64_000_000;
export const PHOTO_MAX_EDGE = 2048;
export const PHOTO_THUMB_EDGE = 320;
export const PHOTO_JPEG_QUALITY = 80;
const THUMB_JPEG_QUALITY = 75;
const TIMEOUT_SECONDS = 20;

export const PHOTO_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];

export interface ProcessedPhoto {
  /** Re-encoded: EXIF orientation applied, within 2048 px, sRGB, every metadata block (EXIF, GPS, XMP, ICC) dropped. */
  full: Buffer;
  /** Within 320 px, from the re-encoded photo. */
  thumb: Buffer;
  contentType: 'image/jpeg';
  /** Of full, after orientation. */
  width: number;
  height: number;
  /** Of full. */
  bytes: number;
  /** Milliseconds: header checks, decode+orient+resize+encode of full, and the thumbnail. */
  timings: { inspectMs: number; fullMs: number; thumbMs: number };
}

export interface PhotoOptions {
  /** The photo's position among the caller's photos (0-based); errors then name it. */
  index?: number;
}

/** The format a buffer's first bytes say it is (JPEG, PNG or WebP), whatever its name or declared type; null otherwise. */
export function sniffPhotoFormat(data: Buffer): PhotoFormat | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Reason = 'empty' | 'too_large' | 'not_image' | 'too_many_pixels' | 'broken';

function refuse(reason: Reason, message: string, opts: PhotoOptions, extra: Record<string, unknown> = {}): ValidationError {
  const which = opts.index === undefined ? '照片' : `第 ${opts.index + 1} 张照片`;
  const field = opts.index === undefined ? 'photo' : `photos.${opts.index}`;
  const detail = { field, ...(opts.index === undefined ? {} : { index: opts.index }), reason, message: `${which}${message}`, ...extra };
  return new ValidationError(`${which}${message}`, [detail], 422);
}

const since = (t0: number) => Math.round((performance.now() - t0) * 100) / 100;

/**
 * Checks an uploaded photo and re-encodes it as JPEG with sharp: refused (422, naming the photo) when it is empty,
 * over 5 MB, not JPEG/PNG/WebP by its bytes, larger than 64 megapixels by its header (refused before decoding),
 * or does not decode whole. An animated WebP gives its first frame, as a photo of the hazard needs no more.
 */
export async function processPhoto(data: Buffer, opts: PhotoOptions = {}): Promise<ProcessedPhoto> {
  let t0 = performance.now();
  if (data.length === 0) throw refuse('empty', '是空文件', opts);
  if (data.length > PHOTO_MAX_BYTES) throw refuse('too_large', `超过 5 MB（${data.length} 字节）`, opts, { limitBytes: PHOTO_MAX_BYTES });
  const format = sniffPhotoFormat(data);
  if (!format) throw refuse('not_image', '不是 JPEG、PNG 或 WebP 图片（按文件内容识别，与文件名无关）', opts);
  await inspect(data, format, opts);
  const inspectMs = since(t0);

  t0 = performance.now();
  const full = await decodeWith(opts, () => sharp(data, inputOptions())
    .timeout({ seconds: TIMEOUT_SECONDS })
    .rotate()
    .resize({ width: PHOTO_MAX_EDGE, height: PHOTO_MAX_EDGE, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: PHOTO_JPEG_QUALITY })
    .toBuffer({ resolveWithObject: true }));
  const fullMs = since(t0);

  t0 = performance.now();
  const thumb = await sharp(full.data)
    .resize({ width: PHOTO_THUMB_EDGE, height: PHOTO_THUMB_EDGE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: THUMB_JPEG_QUALITY })
    .toBuffer();
  const thumbMs = since(t0);

  return {
    full: full.data, thumb, contentType: 'image/jpeg', width: full.info.width, height: full.info.height,
    bytes: full.data.length, timings: { inspectMs, fullMs, thumbMs },
  };
}

const inputOptions = (): sharp.SharpOptions => ({ limitInputPixels: PHOTO_MAX_INPUT_PIXELS, failOn: 'warning', animated: false });

/** Reads the header only: the declared size is checked before a pixel is decoded, and the format must agree. */
async function inspect(data: Buffer, format: PhotoFormat, opts: PhotoOptions): Promise<void> {
  // Without sharp's own limit here, so that the refusal can name the size: the header is all that is read.
  const meta = await decodeWith(opts, () => sharp(data, { ...inputOptions(), limitInputPixels: false }).metadata());
  if (meta.width * meta.height > PHOTO_MAX_INPUT_PIXELS) throw tooManyPixels(opts, meta.width, meta.height);
  if (meta.format !== format) throw refuse('broken', '已损坏，无法识别', opts);
}

const tooManyPixels = (opts: PhotoOptions, width?: number, height?: number) => refuse(
  'too_many_pixels', `像素过多（${width && height ? `${width}×${height}，` : ''}上限 ${PHOTO_MAX_INPUT_PIXELS / 1_000_000} 百万像素），请缩小后再上传`,
  opts, { maxPixels: PHOTO_MAX_INPUT_PIXELS, ...(width && height ? { width, height } : {}) },
);

/** Runs a sharp step, turning its refusals (pixel limit, undecodable data) into the photo's 422. */
async function decodeWith<T>(opts: PhotoOptions, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (/pixel limit/i.test(message)) throw tooManyPixels(opts);
    if (/timeout/i.test(message)) throw refuse('broken', '处理超时，请换一张照片', opts);
    throw refuse('broken', '已损坏或不完整，无法解码', opts);
  }
}
