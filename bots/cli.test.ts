import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseConsoleLine, runConsole, startConsole } from './cli';
import { loadBotConfig } from './config';
import type { Responder } from './responder';
import { createCannedApi, startFakeApi } from './testing/fake-api-server';
import { createFakeOutbox } from './testing/fake-outbox';
import { BOT_TOKEN } from './testing/fixtures';

describe('console mode', () => {
  it.each([
    ['loc 106.57 29.56', { kind: 'location', lng: 106.57, lat: 29.56 }],
    ['LOC 104.0817,30.6571', { kind: 'location', lng: 104.0817, lat: 30.6571 }],
    ['  驿站 解放碑 ', { kind: 'text', text: '驿站 解放碑' }],
    ['location please', { kind: 'text', text: 'location please' }],
    ['   ', null],
  ])('reads %j', (line, expected) => {
    expect(parseConsoleLine(line)).toEqual(expected);
  });

  it('prints the replies to each line until "exit"', async () => {
    const seen: unknown[] = [];
    const senders: unknown[] = [];
    const responder: Responder = {
      respond: async (_id, input, sender) => {
        seen.push(input);
        senders.push(sender);
        return [`echo ${JSON.stringify(input)}`];
      },
    };
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
    const done = runConsole(responder, input, output);
    input.end('帮助\nloc 106.57 29.56\nexit\n驿站\n');
    await done;
    expect(seen).toEqual([{ kind: 'text', text: '帮助' }, { kind: 'location', lng: 106.57, lat: 29.56 }]);
    expect(printed).toContain('echo {"kind":"location","lng":106.57,"lat":29.56}\n> ');
    expect(senders).toEqual([{ contactId: 'console-user', chat: 'private' }, { contactId: 'console-user', chat: 'private' }]);
  });

  it('prints notices while it runs: its own contact\'s as messages, others\' with the contact they were for', async () => {
    const outbox = createFakeOutbox();
    const canned = createCannedApi();
    const api = await startFakeApi((req) => (/^\/api\/v1\/(outbox|bot\/recipients)\//.test(req.path) ? outbox.handler(req) : canned(req)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-'));
    const rider = '6650a1b2c3d4e5f601234568';
    outbox.contact('rider', rider, 'console-user');
    outbox.contact('staff', '6650a1b2c3d4e5f60123456a', 'wxid_manager');
    outbox.add({ type: 'access.denied', recipient: { kind: 'rider', id: rider }, payload: { compoundName: '融创白象街', reason: '本小区暂不开放' } });
    outbox.add({ type: 'access.requested', recipient: { kind: 'staff', id: '6650a1b2c3d4e5f60123456a' }, payload: { compoundName: '融创白象街', riderName: '王师傅', durationDays: 7, unmet: [] } });
    const config = loadBotConfig({ API_BASE_URL: api.baseURL, BOT_TOKEN, BOT_DATA_DIR: dir, BOT_NOTIFY_POLL_MS: '500', LOG_LEVEL: 'silent' });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
    const done = startConsole(config, input, output);
    const end = Date.now() + 5000;
    while (outbox.acked().length < 2 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
    input.end('exit\n');
    await done;
    await api.close();
    expect(printed).toContain('\n【通知】你进入「融创白象街」的申请未通过：本小区暂不开放。\n> ');
    expect(printed).toContain('\n【通知 → wxid_manager】新的进小区申请：骑手王师傅申请进入「融创白象街」7天。');
    expect(fs.readdirSync(dir)).toEqual(['sent-bot.json']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
