import { PassThrough } from 'node:stream';
import { parseConsoleLine, runConsole } from './cli';
import type { Responder } from './responder';

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
});
