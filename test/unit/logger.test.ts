import { Writable } from 'node:stream';
import { createLogger, maskPhone } from '../../src/shared/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { log: createLogger('info', stream), lines };
}

describe('phone numbers in logs', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['电话 15900001111，请回电', '电话 159****1111，请回电'],
    ['order 123456789012345', 'order 123456789012345'], // longer digit runs are not phone numbers
    ['023-63700000', '023-63700000'], // landlines of businesses stay as they are
  ])('masks %s', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it('never writes a mobile number, in fields at any depth or in the message', () => {
    const { log, lines } = capture();
    log.info({ phone: '13812341234', rider: { contact: { phone: '13912345678' } }, list: ['15000001111'] }, 'rider 18600002222 bound');
    const out = lines.join('');
    expect(out).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect(out).toContain('138****1234');
    expect(out).toContain('139****5678');
    expect(out).toContain('186****2222');
  });

  it('redacts secrets', () => {
    const { log, lines } = capture();
    log.info({ body: { password: 'Passw0rd-long', refreshToken: 'abc' } }, 'login');
    expect(lines.join('')).not.toMatch(/Passw0rd-long|"abc"/);
  });
});
