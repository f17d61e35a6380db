import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSentNotices } from './sent-notices';

describe('sent notices', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sent-notices-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('remembers sent ids across a reopen, in a directory it creates, leaving no temp file behind', async () => {
    const file = path.join(dir, 'bot', 'sent-bot.json');
    const first = await openSentNotices({ file });
    expect(first.has('e1')).toBe(false);
    await Promise.all([first.add('e1'), first.add('e2')]);
    const again = await openSentNotices({ file });
    expect([again.has('e1'), again.has('e2'), again.has('e3')]).toEqual([true, true, false]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['sent-bot.json']);
  });

  it('keeps only the newest max ids', async () => {
    const file = path.join(dir, 'sent.json');
    const store = await openSentNotices({ file, max: 2 });
    for (const id of ['e1', 'e2', 'e3']) await store.add(id);
    const again = await openSentNotices({ file, max: 2 });
    expect([again.has('e1'), again.has('e2'), again.has('e3'), again.size]).toEqual([false, true, true, 2]);
  });

  it('drops ids older than maxAgeMs when it opens', async () => {
    const file = path.join(dir, 'sent.json');
    let now = new Date('2026-11-01T00:00:00Z');
    const store = await openSentNotices({ file, maxAgeMs: 24 * 3600_000, clock: () => now });
    await store.add('old');
    now = new Date('2026-11-01T20:00:00Z');
    await store.add('recent');
    now = new Date('2026-11-02T10:00:00Z');
    const again = await openSentNotices({ file, maxAgeMs: 24 * 3600_000, clock: () => now });
    expect([again.has('old'), again.has('recent')]).toEqual([false, true]);
  });

  it('refuses to start on a file that is not its own rather than forgetting what it sent', async () => {
    const file = path.join(dir, 'sent.json');
    fs.writeFileSync(file, '{"hello": 1}');
    await expect(openSentNotices({ file })).rejects.toThrow('not a sent-notices file');
    fs.writeFileSync(file, '{"version":1,"sent":[["e1"');
    await expect(openSentNotices({ file })).rejects.toThrow(SyntaxError);
  });
});
