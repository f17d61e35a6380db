import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../shared/errors';
import { ColumnSpec, resolveHeader } from './columns';
import { Cell, cellIssues, rejection } from './cell-guard';
import { MAX_COLUMNS, MAX_ROWS, ParsedUpload, Rejection, SourceRow } from './import.types';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly (dropping a BOM); 422 explaining the likely GBK export otherwise. */
export function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ValidationError(
      "文件必须是 UTF-8 编码；这个文件很可能是 GBK/GB18030（Excel 默认的“CSV”）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再上传",
      { encoding: 'utf-8' },
      422,
    );
  }
}

/** csv-parse's error codes, as a person fixing the file in Excel would read them (its English text goes in details). */
const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: '引号没有闭合（某个单元格以 " 开头却没有结束的 "）',
  CSV_INVALID_CLOSING_QUOTE: '引号用法不对（单元格中的 " 须写成 ""）',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: '引号后面紧跟了其他字符（单元格中的 " 须写成 ""）',
  INVALID_OPENING_QUOTE: '引号出现在单元格中间（单元格中的 " 须写成 ""，或把整个单元格用引号括起来）',
  CSV_INVALID_OPENING_QUOTE: '引号出现在单元格中间（单元格中的 " 须写成 ""，或把整个单元格用引号括起来）',
};

interface Parsed {
  record: string[];
  info: { lines: number };
}

function parseRecords(text: string): Parsed[] {
  try {
    // Normalising line ends first keeps csv-parse's line count true for CRLF files.
    return parse(text.replace(/\r\n?/g, '\n'), {
      info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true,
    }) as unknown as Parsed[];
  } catch (err) {
    const e = err as { message: string; lines?: number; code?: string };
    const what = CSV_ERRORS[e.code ?? ''] ?? '无法解析';
    throw new ValidationError(`CSV 格式有误（第 ${e.lines ?? '?'} 行）：${what}`, { line: e.lines ?? null, reason: e.message }, 422);
  }
}

// csv-parse reports the line a record ends on; quoted newlines push that past the line it starts on.
const startLine = (p: Parsed): number =>
  p.info.lines - p.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);

/** Parses CSV text into rows keyed by canonical column, each with its physical line number. */
export function parseCsv(text: string, spec: ColumnSpec): ParsedUpload {
  const [head, ...data] = parseRecords(text);
  if (!head) throw new ValidationError('CSV 文件是空的：没有表头', undefined, 422);
  if (head.record.length > MAX_COLUMNS) {
    throw new ValidationError(`表头有 ${head.record.length} 列，最多 ${MAX_COLUMNS} 列：这不像驿站或商户数据`, { maxColumns: MAX_COLUMNS }, 422);
  }
  const { fields, ignored } = resolveHeader(head.record, spec);
  if (data.length === 0) throw new ValidationError('CSV 文件只有表头，没有数据行', undefined, 422);
  if (data.length > MAX_ROWS) {
    throw new ValidationError(`一次最多导入 ${MAX_ROWS} 行，这个文件有 ${data.length} 行，请分批上传`, { maxRows: MAX_ROWS }, 422);
  }
  const rows: SourceRow[] = [];
  const rejected: Rejection[] = [];
  for (const p of data) {
    const values: Record<string, unknown> = {};
    fields.forEach((f, i) => {
      const cell = p.record[i]?.trim();
      if (f && cell) values[f] = cell;
    });
    // Checked before trimming: a leading tab is itself a formula trigger.
    const cells = fields.flatMap((field, i): Cell[] =>
      (field && p.record[i]?.trim() ? [{ field, header: head.record[i] ?? field, value: p.record[i] }] : []));
    const issues = cellIssues(cells);
    const line = startLine(p);
    if (issues.length) {
      rejected.push(rejection({ line }, typeof values.externalId === 'string' ? values.externalId : null, issues));
    } else {
      rows.push({ ref: { line }, values });
    }
  }
  return { rows, rejected, ignoredColumns: ignored };
}
