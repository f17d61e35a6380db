import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');
const read = (rel: string) => fs.readFileSync(path.join(SRC, rel), 'utf8');

describe('the shape of the code', () => {
  it.each(['admin', 'auth', 'me', 'bot'])('keeps identity %s routes on the identity services, never on storage', (name) => {
    expect(read(`modules/identity/${name}.routes.ts`)).not.toMatch(/\bstorage\b/);
  });

  it('records audit entries with an actor, never with a Koa context', () => {
    const files = fs.readdirSync(SRC, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((f) => /audit\.(record|within)\(ctx\b/.test(read(f)));
    expect(offenders).toEqual([]);
  });

  it('has one place that redeems single-use codes', () => {
    const files = fs.readdirSync(SRC, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    expect(files.filter((f) => /codes\.consume\(/.test(read(f)))).toEqual([path.join('modules', 'identity', 'codes.ts')]);
  });
});
