/**
 * HTTP/1.1 codec micro-benchmark: ns per parse of a typical ~300-byte GET request head and of a
 * response head, each a fresh message on a reused parser (keep-alive), plus the same request
 * through Node's internal llhttp binding for scale when it is reachable.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/http1-parser.bench.js [iterations]
 */
import { Http1Parser, MessageKind, type Http1MessageHead, type Http1ParserHandler } from '../src/router/codec/http1-parser.js';

const ITERATIONS = Number(process.argv[2] ?? 1_000_000);

const REQUEST = Buffer.from(
  'GET /api/v1/users/12345/profile?include=settings&fields=name,email HTTP/1.1\r\n' +
    'Host: app.tenant-a.example.com\r\n' +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) bench/1.0\r\n' +
    'Accept: application/json\r\n' +
    'Accept-Encoding: gzip, deflate, br\r\n' +
    'Accept-Language: en-US,en;q=0.9\r\n' +
    'Connection: keep-alive\r\n' +
    'X-Request-Id: 7f3c9a2e-4b1d-4e8a-9c6f-2d5e8b1a0c3f\r\n' +
    '\r\n',
  'latin1',
);

const RESPONSE = Buffer.from(
  'HTTP/1.1 200 OK\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n' +
    'Content-Length: 0\r\n' +
    'Date: Tue, 01 Jul 2025 12:00:00 GMT\r\n' +
    'Cache-Control: no-cache\r\n' +
    'X-Powered-By: bench\r\n' +
    'Connection: keep-alive\r\n' +
    '\r\n',
  'latin1',
);

class CountingHandler implements Http1ParserHandler {
  heads = 0;
  headerCount = 0;
  onMessageHead(head: Http1MessageHead): void {
    this.heads++;
    this.headerCount += head.headers.length;
  }
  onBody(): void {}
  onMessageComplete(): void {}
  onError(error: Error): void {
    throw error;
  }
}

function bench(name: string, kind: MessageKind, input: Buffer): void {
  const handler = new CountingHandler();
  const parser = new Http1Parser(kind, handler, { maxHeaderBytes: 16 * 1024, maxHeadersCount: 100 });
  for (let i = 0; i < 50_000; i++) parser.execute(input); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) parser.execute(input);
  const ns = Number(process.hrtime.bigint() - start) / ITERATIONS;
  console.log(`${name.padEnd(34)} ${ns.toFixed(0).padStart(6)} ns/op  (${input.length} bytes, ${(input.length / ns).toFixed(2)} GB/s)`);
  if (handler.heads !== ITERATIONS + 50_000) throw new Error('lost messages');
}

bench('request head (switchyard)', MessageKind.Request, REQUEST);
bench('response head (switchyard)', MessageKind.Response, RESPONSE);

// Node's llhttp through its internal binding, when available (for scale only).
try {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const binding = (process as unknown as { binding(name: string): { HTTPParser: new () => LlhttpParser } }).binding('http_parser');
  void require;
  const { HTTPParser } = binding as unknown as { HTTPParser: LlhttpCtor };
  const p = new HTTPParser();
  p.initialize(HTTPParser.REQUEST, {}, 0, 0);
  p[HTTPParser.kOnHeadersComplete] = () => 0;
  p[HTTPParser.kOnMessageComplete] = () => undefined;
  for (let i = 0; i < 50_000; i++) p.execute(REQUEST);
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) p.execute(REQUEST);
  const ns = Number(process.hrtime.bigint() - start) / ITERATIONS;
  console.log(`${'request head (node llhttp binding)'.padEnd(34)} ${ns.toFixed(0).padStart(6)} ns/op`);
} catch (err) {
  console.log(`node llhttp binding not reachable: ${(err as Error).message}`);
}

interface LlhttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): unknown;
  [key: number]: unknown;
}
interface LlhttpCtor {
  new (): LlhttpParser;
  REQUEST: number;
  kOnHeadersComplete: number;
  kOnMessageComplete: number;
}
