/**
 * Test helper: Node's own HTTP server (llhttp, default strict mode, requireHostHeader) on
 * 127.0.0.1:0 as the oracle for "would a Node backend accept these bytes?". Each judge() call
 * opens one connection, writes the bytes, half-closes, and reports what the server saw.
 */
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';

export interface Verdict {
  /** No parse error, and every response the server sent was a 200 (Node answers 400 itself for a missing Host). */
  accepted: boolean;
  /** Requests whose body ended, plus upgrade / CONNECT heads. */
  completed: number;
  /** The llhttp error code, or `status:<n>` for a non-200 answer, or null. */
  code: string | null;
}

interface ConnectionRecord {
  completed: number;
  code: string | null;
  closed: Promise<void>;
}

export class LlhttpOracle {
  private readonly server: http.Server;
  private readonly records = new Map<number, ConnectionRecord>();
  private port = 0;

  private constructor() {
    this.server = http.createServer({ keepAliveTimeout: 1000 });
    this.server.on('connection', (socket: net.Socket) => {
      const rec: ConnectionRecord = { completed: 0, code: null, closed: once(socket, 'close').then(() => undefined) };
      this.records.set(socket.remotePort ?? 0, rec);
    });
    this.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const rec = this.records.get(req.socket.remotePort ?? 0);
      req.on('end', () => {
        if (rec !== undefined) rec.completed++;
        res.end('ok');
      });
      req.on('error', () => undefined);
      req.resume();
    });
    const tunnel = (req: http.IncomingMessage, socket: net.Socket): void => {
      const rec = this.records.get(socket.remotePort ?? 0);
      if (rec !== undefined) rec.completed++;
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
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    const closed = once(socket, 'close');
    socket.end(input);
    await closed;
    const rec = this.records.get(localPort);
    if (rec !== undefined) await rec.closed;
    this.records.delete(localPort);
    const text = Buffer.concat(chunks).toString('latin1');
    let code = rec?.code ?? null;
    if (code === null) {
      for (const m of text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)) {
        const status = Number(m[1]);
        if (status >= 200 && status !== 200) {
          code = `status:${status}`;
          break;
        }
      }
    }
    return { accepted: code === null, completed: rec?.completed ?? 0, code };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
