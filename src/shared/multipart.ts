import busboy from 'busboy';
import type { Context } from 'koa';
import { refuseEncodedBody } from './body';
import { AppError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors';

export interface MultipartOptions {
  /** Text fields taken, each at most once; any other name is refused. */
  fields: readonly string[];
  /** File fields taken (a file field may repeat, up to maxFiles files in all). */
  fileFields: readonly string[];
  maxFiles: number;
  /** Reading stops at the first file over this size (413). */
  maxFileBytes: number;
  /** Per text field, in bytes (413 above). */
  maxFieldBytes: number;
}

export interface MultipartFile {
  field: string;
  /** As the client named it: for messages only, never for storage or type decisions. */
  filename: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: MultipartFile[];
}

// Boundaries and part headers on top of the fields and files themselves.
const FRAMING_BYTES = 64 * 1024;

/** 5242880 -> '5 MB', 10000 -> '9.8 KB'. */
function size(bytes: number): string {
  const [unit, n] = bytes >= 1024 * 1024 ? ['MB', bytes / 1024 / 1024] : bytes >= 1024 ? ['KB', bytes / 1024] : ['字节', bytes];
  return `${Math.round(n * 10) / 10} ${unit}`;
}

/** The first problem found in a body, as the error the client gets. */
const problems = {
  unknownField: (name: string) => new ValidationError(`未知字段：${name}`, [{ field: name, message: '不认识这个字段' }], 422),
  textAsFile: (name: string) => new ValidationError(`字段 ${name} 应为文本，不是文件`, [{ field: name, message: '应为文本' }], 422),
  fileAsText: (name: string) => new ValidationError(`字段 ${name} 应为文件`, [{ field: name, message: '应为文件' }], 422),
  repeated: (name: string) => new ValidationError(`字段 ${name} 只能出现一次`, [{ field: name, message: '出现了不止一次' }], 422),
  notUtf8: (name: string) => new ValidationError(`字段 ${name} 不是合法的 UTF-8 文本`, [{ field: name, message: '须为 UTF-8' }]),
  fieldTooLarge: (name: string, limitBytes: number) =>
    new AppError(413, 'payload_too_large', `字段 ${name} 超过 ${limitBytes} 字节`, [{ field: name, message: `至多 ${limitBytes} 字节`, limitBytes }]),
  fileTooLarge: (name: string, filename: string, limitBytes: number) => new AppError(
    413, 'payload_too_large', `文件「${filename || name}」超过 ${size(limitBytes)} 上限`,
    [{ field: name, filename, message: `每个文件至多 ${size(limitBytes)}`, limitBytes }],
  ),
  tooManyFiles: (fields: readonly string[], maxFiles: number) =>
    new ValidationError(`最多上传 ${maxFiles} 个文件`, [{ field: fields.join(','), message: `至多 ${maxFiles} 个文件`, maxFiles }], 422),
  tooManyFields: (fields: readonly string[]) =>
    new ValidationError(`字段过多：只接受 ${fields.join(', ')}`, [{ field: '(body)', message: `只接受 ${fields.join(', ')}` }], 422),
  malformed: (reason: string) =>
    new ValidationError('multipart 请求体不完整或格式有误', [{ field: '(body)', message: '请求体不完整或格式有误', reason }]),
  aborted: () => new ValidationError('请求体未传完，连接已中断', [{ field: '(body)', message: '请求体未传完' }]),
};

/**
 * Reads a multipart/form-data body with busboy into text fields and file buffers, for a route mounted before the
 * JSON body parser. The first problem stops reading and is the answer (4xx in the service's error shape): a field
 * or file field not listed, a text field twice, more than maxFiles files, a file or field over its size, a body
 * larger than all of them together, a body cut short or not multipart at all. A file part with no name and no
 * bytes (a form's empty file input) is skipped.
 */
export async function readMultipart(ctx: Context, opts: MultipartOptions): Promise<MultipartBody> {
  if (!ctx.is('multipart/form-data')) throw new UnsupportedMediaTypeError(['multipart/form-data']);
  const maxTotal = opts.maxFiles * opts.maxFileBytes + opts.fields.length * opts.maxFieldBytes + FRAMING_BYTES;
  refuseEncodedBody(ctx);
  if (ctx.request.length !== undefined && ctx.request.length > maxTotal) throw new PayloadTooLargeError(maxTotal);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: ctx.req.headers,
      defParamCharset: 'utf8',
      limits: { files: opts.maxFiles, fileSize: opts.maxFileBytes, fields: opts.fields.length, fieldSize: opts.maxFieldBytes },
    });
  } catch (err) {
    throw new ValidationError('multipart/form-data 请求缺少 boundary 参数或格式有误', [{ field: 'content-type', message: (err as Error).message }]);
  }
  return parse(ctx, parser, opts, maxTotal);
}

function parse(ctx: Context, parser: busboy.Busboy, opts: MultipartOptions, maxTotal: number): Promise<MultipartBody> {
  const { req } = ctx;
  const fields: Record<string, string> = {};
  const files: MultipartFile[] = [];
  return new Promise<MultipartBody>((resolve, reject) => {
    let settled = false;
    let open = 0; // file streams still being read
    let closed = false;
    let received = 0;

    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      // Stop reading: the rest of the body is discarded by Node once the answer is sent, never buffered.
      req.unpipe(parser);
      req.off('data', count);
      parser.removeAllListeners();
      parser.on('error', () => undefined);
      reject(err);
    };
    const finishIfDone = () => {
      if (!settled && closed && open === 0) {
        settled = true;
        req.off('data', count);
        resolve({ fields, files });
      }
    };
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxTotal) fail(new PayloadTooLargeError(maxTotal)); // a chunked body has no Content-Length to check first
    };

    parser.on('file', (name, stream, info) => {
      const refusal = opts.fileFields.includes(name) ? null : opts.fields.includes(name) ? problems.textAsFile(name) : problems.unknownField(name);
      stream.on('error', (err: Error) => fail(problems.malformed(err.message)));
      if (refusal || settled) {
        stream.resume();
        if (refusal) fail(refusal);
        return;
      }
      open++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => fail(problems.fileTooLarge(name, info.filename ?? '', opts.maxFileBytes)));
      stream.on('end', () => {
        open--;
        const data = Buffer.concat(chunks);
        if (!stream.truncated && (data.length > 0 || info.filename)) files.push({ field: name, filename: info.filename ?? '', data });
        finishIfDone();
      });
    });
    parser.on('field', (name, value, info) => {
      const refusal = !opts.fields.includes(name) ? (opts.fileFields.includes(name) ? problems.fileAsText(name) : problems.unknownField(name))
        : info.valueTruncated ? problems.fieldTooLarge(name, opts.maxFieldBytes)
          : Object.hasOwn(fields, name) ? problems.repeated(name)
            : value.includes('\uFFFD') ? problems.notUtf8(name) : null;
      if (refusal) fail(refusal);
      else fields[name] = value;
    });
    parser.on('filesLimit', () => fail(problems.tooManyFiles(opts.fileFields, opts.maxFiles)));
    parser.on('fieldsLimit', () => fail(problems.tooManyFields(opts.fields)));
    parser.on('error', (err: Error) => fail(problems.malformed(err.message)));
    parser.on('close', () => {
      closed = true;
      finishIfDone();
    });
    req.on('data', count);
    req.once('close', () => {
      if (!req.complete) fail(problems.aborted());
    });
    req.pipe(parser);
  });
}
