/**
 * Real upstream HTTP servers on 127.0.0.1 for integration tests: each counts its hits, echoes
 * what it received as JSON, and misbehaves on cue (status, delay, hang, reset).
 */
import http from 'node:http';
import { once } from 'node:events';
import type net from 'node:net';

export interface UpstreamBehaviour {
  status?: number;
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  body?: string;
  headers?: Record<string, string>;
}

export interface EchoBody {
  name: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestUpstream {
  readonly name: string;
  readonly port: number;
  readonly address: string;
  hits: number;
  /** Behaviours for the next requests, one each, before `behaviour` applies again (e.g. [{ status: 503 }]: fail once). */
  queue: UpstreamBehaviour[];
  /** Requests the upstream saw end before it answered (client/router aborted). */
  aborted: number;
  /** Connections accepted so far. */
  connections: number;
  behaviour: UpstreamBehaviour;
  readonly server: http.Server;
  close(): Promise<void>;
}

export async function startUpstream(name: string, behaviour: UpstreamBehaviour = {}): Promise<TestUpstream> {
  const sockets = new Set<net.Socket>();
  const upstream: TestUpstream = {
    name,
    port: 0,
    address: '',
    hits: 0,
    queue: [],
    aborted: 0,
    connections: 0,
    behaviour,
    server: http.createServer(),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
    },
  };
  upstream.server.on('connection', (socket: net.Socket) => {
    upstream.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  upstream.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    upstream.hits++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    let answered = false;
    res.on('close', () => {
      if (!answered) upstream.aborted++;
    });
    const queued = upstream.queue.shift();
    req.on('end', () => {
      const b = queued ?? upstream.behaviour;
      if (b.reset) {
        answered = true;
        req.socket.destroy();
        return;
      }
      if (b.hang) return;
      const answer = (): void => {
        answered = true;
        const payload: EchoBody = { name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
        const body = b.body ?? JSON.stringify(payload);
        res.writeHead(b.status ?? 200, { 'content-type': b.body === undefined ? 'application/json' : 'text/plain', 'x-upstream': name, ...b.headers });
        res.end(body);
      };
      if (b.delayMs) setTimeout(answer, b.delayMs);
      else answer();
    });
  });
  upstream.server.listen(0, '127.0.0.1');
  await once(upstream.server, 'listening');
  const port = (upstream.server.address() as net.AddressInfo).port;
  Object.assign(upstream, { port, address: `127.0.0.1:${port}` });
  return upstream;
}
