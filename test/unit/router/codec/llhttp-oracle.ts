/**
 * Test helper: Node's own HTTP server (llhttp, default strict mode) on 127.0.0.1:0 as the oracle
 * for "would a Node backend accept these bytes?". Each judge() call opens one connection, writes
 * the bytes, half-closes, and reports what the server saw.
 *
 * Node's `requireHostHeader` check is re-done in the request handler (with the option off), because
 * Node's own 400 for it is lost when the client half-closes with pipelined requests queued. The
 * server listens for 'upgrade' and 'connect' like a WebSocket backend, so an upgrade request's
 * bytes after its head are tunnel data, never parsed (Node returns "skip body" to llhttp then).
 */
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';

export interface Verdict {
  /** No parse error and no HTTP/1.1 request without Host. */
  accepted: boolean;
  /** Requests whose body ended, plus upgrade / CONNECT heads. */
  completed: number;
  /** The llhttp error code, `MISSING_HOST`, or null. */
  code: string | null;
  /** Upgrade / CONNECT heads the server handed to its tunnel listener. */
  tunnels: number;
}

interface ConnectionRecord {
  completed: number;
  tunnels: number;
  code: string | null;
  closed: Promise<void>;
}

export class LlhttpOracle {
  private readonly server: http.Server;
  private readonly records = new Map<number, ConnectionRecord>();
  private port = 0;

  private constructor() {
    this.server = http.createServer({ keepAliveTimeout: 1000, requireHostHeader: false });
    this.server.on('connection', (socket: net.Socket) => {
      const rec: ConnectionRecord = { completed: 0, tunnels: 0, code: null, closed: once(socket, 'close').then(() => undefined) };
      this.records.set(socket.remotePort ?? 0, rec);
    });
    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const rec = this.records.get(req.socket.remotePort ?? 0);
      if (req.httpVersion === '1.1' && req.headers.host === undefined && rec !== undefined && rec.code === null) {
        rec.code = 'MISSING_HOST';
      }
      req.on('end', () => {
        if (rec !== undefined) rec.completed++;
        res.end('ok');
      });
      req.on('error', () => undefined);
      req.resume();
    };
    this.server.on('request', onRequest);
    this.server.on('checkExpectation', onRequest);
    const tunnel = (req: http.IncomingMessage, socket: net.Socket): void => {
      const rec = this.records.get(socket.remotePort ?? 0);
      if (rec !== undefined) {
        rec.completed++;
        rec.tunnels++;
      }
      socket.destroy();
    };
    this.server.on('upgrade', tunnel);
    this.server.on('connect', tunnel);
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
      const rec = this.records.get(socket.remotePort ?? 0);
      if (rec !== undefined && rec.code === null) rec.code = err.code ?? 'error';
      socket.destroy();
    });
  }

  static async start(): Promise<LlhttpOracle> {
    const oracle = new LlhttpOracle();
    oracle.server.listen(0, '127.0.0.1');
    await once(oracle.server, 'listening');
    oracle.port = (oracle.server.address() as net.AddressInfo).port;
    return oracle;
  }

  async judge(input: Buffer): Promise<Verdict> {
    const socket = net.connect(this.port, '127.0.0.1');
    await once(socket, 'connect');
    const localPort = socket.localPort ?? 0;
    socket.resume();
    socket.on('error', () => undefined);
    const closed = once(socket, 'close');
    socket.end(input);
    await closed;
    const rec = this.records.get(localPort);
    if (rec !== undefined) await rec.closed;
    this.records.delete(localPort);
    const code = rec?.code ?? null;
    return { accepted: code === null, completed: rec?.completed ?? 0, code, tunnels: rec?.tunnels ?? 0 };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
