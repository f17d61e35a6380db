import { z } from 'zod';
import { optionalText, text } from '../../src/shared/schema';
import '../../src/shared/validate'; // Chinese zod messages

const issue = (schema: z.ZodType, value: unknown): string | null => {
  const r = schema.safeParse(value);
  return r.success ? null : (r.error.issues[0]?.message ?? '?');
};

describe('the shared text schema', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['escape', '\u001b[31m红'],
    ['DEL', 'x\u007f'],
    ['C1 control', 'x\u0085y'],
    ['right-to-left override', '驿站\u202Egnp.exe'],
    ['left-to-right embedding', '\u202A驿站'],
    ['isolate', '\u2067驿站\u2069'],
    ['right-to-left mark', '驿站\u200F'],
    ['a line break in one-line text', '第一行\n第二行'],
    ['a tab', '名\t称'],
  ])('refuses %s', (_, value) => {
    expect(issue(text(50), value)).toBe('不能含有控制字符或文字方向控制符');
    expect(issue(optionalText(50), value)).toBe('不能含有控制字符或文字方向控制符');
  });

  it.each([
    ['zero-width spaces', '\u200B\u200B\u200B'],
    ['a BOM and a word joiner', '\uFEFF\u2060'],
    ['ideographic spaces', '\u3000\u3000'],
    ['a Hangul filler', '\u3164'],
    ['spaces', '   '],
    ['nothing', ''],
  ])('treats %s as empty', (_, value) => {
    expect(issue(text(50), value)).toBe('不能为空');
    expect(optionalText(50).parse(value)).toBeNull();
  });

  it('trims invisible characters at the ends but keeps joiners inside (emoji sequences)', () => {
    expect(text(50).parse('\u200B 解放碑驿站 \uFEFF')).toBe('解放碑驿站');
    expect(text(50).parse('骑手之家👨‍👩‍👧')).toBe('骑手之家👨‍👩‍👧');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(text(3).parse('😀😀😀')).toBe('😀😀😀');
    expect(issue(text(3), '😀😀😀😀')).toBe('不能超过 3 字');
  });

  it('keeps line breaks in multiline text, storing CRLF as LF, and still refuses other controls', () => {
    expect(text(100, { multiline: true }).parse('井盖缺失\r\n在路口东侧')).toBe('井盖缺失\n在路口东侧');
    expect(issue(text(100, { multiline: true }), '井盖\u0000缺失')).toBe('不能含有控制字符或文字方向控制符');
  });
});
