import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { handleClientErrors } from '../../src/shared/client-error';
import { createLogger } from '../../src/shared/logger';

export interface RawRequest {
  method: string;
  /** Path and query, already percent-encoded as they go on the wire. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** The app on a real socket on 127.0.0.1, as server.ts runs it (JSON answers for requests Node's parser refuses). */
export async function listen(app: Koa): Promise<{ send(r: RawRequest): Promise<RawResponse>; close(): Promise<void> }> {
  const server = http.createServer(app.callback());
  handleClientErrors(server, createLogger('silent'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (r: RawRequest) => new Promise<RawResponse>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.url, headers: r.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
  return {
    send,
    close: () => {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
