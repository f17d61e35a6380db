import { parse } from 'csv-parse/sync';
import { neutralizeCell, toCsv } from '../../src/shared/csv-out';

describe('CSV the service writes', () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['+SUM(1+1)', "'+SUM(1+1)"],
    ['-2+3', "'-2+3"],
    ['\t=1', "'\t=1"],
    ['\rx', "'\rx"],
    ['-12.5', '-12.5'],
    ['+86', '+86'],
    ['解放碑暖新驿站', '解放碑暖新驿站'],
    [42, '42'],
    [null, ''],
  ])('writes %j as %j', (value, expected) => {
    expect(neutralizeCell(value)).toBe(expected);
  });

  it('quotes, neutralises every cell, starts with a BOM and reads back to the safe values', () => {
    const csv = toCsv(['名称', '备注'], [['A,"B"', '=1+1'], ['多行\n文本', -3]]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    expect(parse(csv.slice(1))).toEqual([['名称', '备注'], ['A,"B"', "'=1+1"], ['多行\n文本', '-3']]);
  });
});
