import {
  checkTotp, matchTotpStep, MAX_PASS_NUMBER, newPassSecret, parsePassCode, passCode, TOTP_PERIOD_S,
} from '../../src/modules/compounds/pass-code';
import { fixedClock } from '../../src/shared/time';

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in base32; its 8-digit codes, of which ours are the last 7.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (epochSeconds: number) => new Date(epochSeconds * 1000);
const STEP_START = 1_111_111_110; // a multiple of 30: the start of a step

describe('pass entry codes (TOTP)', () => {
  it.each([
    [59, '4287082'],
    [1_111_111_109, '7081804'],
    [1_111_111_111, '4050471'],
    [1_234_567_890, '9005924'],
    [2_000_000_000, '9279037'],
  ])('matches the RFC 6238 SHA-1 test vector at T=%i (last 7 of its 8 digits)', (t, totp) => {
    expect(passCode(RFC_SECRET, 1, at(t)).code).toBe(`1${totp}`);
  });

  it('is the pass number followed by 7 TOTP digits, shown in groups for reading aloud', () => {
    const c = passCode(RFC_SECRET, 128, at(1_111_111_111));
    expect(c).toEqual({ code: '1284050471', display: '128 405 0471', expiresInSeconds: 29 });
  });

  it.each([
    [7, '7 405 0471'],
    [1234, '1234 405 0471'],
    [12345, '12 345 405 0471'],
    [123456, '123 456 405 0471'],
    [MAX_PASS_NUMBER, '999 9999 405 0471'],
  ])('groups pass number %i as %s', (n, display) => {
    const c = passCode(RFC_SECRET, n, at(1_111_111_111));
    expect(c.display).toBe(display);
    expect(c.code).toBe(display.replace(/ /g, ''));
  });

  it.each([0, -1, 1.5, MAX_PASS_NUMBER + 1, Number.NaN])('refuses to make a code for pass number %p', (n) => {
    expect(() => passCode(RFC_SECRET, n, at(59))).toThrow(RangeError);
  });

  it('rotates every 30 s and says how long the current code has left', () => {
    const clock = fixedClock(at(STEP_START));
    const first = passCode(RFC_SECRET, 5, clock.now());
    expect(first.expiresInSeconds).toBe(30);
    clock.advance(29_999);
    expect(passCode(RFC_SECRET, 5, clock.now())).toEqual({ ...first, expiresInSeconds: 1 });
    clock.advance(1);
    const second = passCode(RFC_SECRET, 5, clock.now());
    expect(second.code).not.toBe(first.code);
    expect(second.expiresInSeconds).toBe(30);
  });

  it('accepts the current and the previous step, refuses two steps old and the next step', () => {
    const secret = newPassSecret();
    const clock = fixedClock(at(STEP_START + 10));
    const totp = passCode(secret, 42, clock.now()).code.slice(2);
    expect(checkTotp(secret, totp, clock.now())).toBe(true);
    clock.advance(TOTP_PERIOD_S * 1000); // the code rotated while the guard was typing it
    expect(checkTotp(secret, totp, clock.now())).toBe(true);
    clock.advance(TOTP_PERIOD_S * 1000);
    expect(checkTotp(secret, totp, clock.now())).toBe(false);
    const next = passCode(secret, 42, at(STEP_START + 40)).code.slice(2);
    expect(checkTotp(secret, next, at(STEP_START + 10))).toBe(false); // no future window
  });

  it('accepts the previous step right up to the last second of the current one, and not a second later', () => {
    const secret = newPassSecret();
    const totp = passCode(secret, 1, at(STEP_START)).code.slice(1);
    expect(checkTotp(secret, totp, at(STEP_START + 2 * TOTP_PERIOD_S - 1))).toBe(true);
    expect(checkTotp(secret, totp, at(STEP_START + 2 * TOTP_PERIOD_S))).toBe(false);
  });

  it('tells which step matched, so a caller can refuse a second use of one code', () => {
    const secret = newPassSecret();
    const totp = passCode(secret, 1, at(STEP_START)).code.slice(1);
    const step = STEP_START / TOTP_PERIOD_S;
    expect(matchTotpStep(secret, totp, at(STEP_START))).toBe(step);
    expect(matchTotpStep(secret, totp, at(STEP_START + 45))).toBe(step);
  });

  it('refuses wrong digits, another pass\'s code and malformed TOTPs', () => {
    const secret = newPassSecret();
    const now = at(STEP_START);
    const totp = passCode(secret, 9, now).code.slice(1);
    const wrong = totp.slice(0, 6) + String((Number(totp[6]) + 1) % 10);
    expect(checkTotp(secret, wrong, now)).toBe(false);
    expect(checkTotp(newPassSecret(), totp, now)).toBe(false);
    for (const bad of ['', '123456', '12345678', 'abcdefg', ' 123456', '１２３４５６７']) expect(checkTotp(secret, bad, now)).toBe(false);
  });

  it('makes 160-bit base32 secrets, a new one each time', () => {
    const a = newPassSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newPassSecret()).not.toBe(a);
  });
});

describe('parsing a typed entry code', () => {
  it.each([
    ['1284050471', 128, '4050471'],
    ['128 405 0471', 128, '4050471'],
    ['128-405-0471', 128, '4050471'],
    ['  128 4050471 ', 128, '4050471'],
    ['１２８　４０５　０４７１', 128, '4050471'], // full-width digits and space, as a Chinese IME types them
    ['128－405－0471', 128, '4050471'], // full-width hyphen
    ['128—405–0471', 128, '4050471'], // em and en dashes
    ['14050471', 1, '4050471'], // the shortest: a one-digit number
    ['99999990000000', MAX_PASS_NUMBER, '0000000'], // the longest; a TOTP may start with zeros
    ['10000000', 1, '0000000'],
  ])('reads %j as pass %i, TOTP %s', (input, number, totp) => {
    expect(parsePassCode(input)).toEqual({ ok: true, number, totp });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['- -', 'empty'],
    ['128 405 047a', 'non_digit'],
    ['128.405.0471', 'non_digit'],
    ['+1284050471', 'non_digit'],
    ['1e10', 'non_digit'],
    ['١٢٨٤٠٥٠٤٧١', 'non_digit'], // Arabic-Indic digits are not what the guard's keypad types
    ['4050471', 'too_short'], // a TOTP without its pass number
    ['405 0471', 'too_short'],
    ['123456789012345', 'too_long'],
    ['1'.repeat(65), 'too_long'],
    ['0128 405 0471', 'leading_zero'],
    ['04050471', 'leading_zero'],
  ])('refuses %j as a format error (%s)', (input, problem) => {
    expect(parsePassCode(input)).toEqual({ ok: false, reason: 'format', problem });
  });

  it('refuses a value that is not text', () => {
    expect(parsePassCode(1284050471 as unknown as string)).toEqual({ ok: false, reason: 'format', problem: 'non_digit' });
  });

  it('reads back every code it shows, and the TOTP in it checks', () => {
    const secret = newPassSecret();
    const now = at(STEP_START + 7);
    for (const n of [1, 9, 10, 128, 5000, 12345, 654321, MAX_PASS_NUMBER]) {
      const shown = passCode(secret, n, now);
      for (const typed of [shown.code, shown.display]) {
        const parsed = parsePassCode(typed);
        expect(parsed).toMatchObject({ ok: true, number: n });
        expect(parsed.ok && checkTotp(secret, parsed.totp, now)).toBe(true);
      }
    }
  });
});
