/**
 * Unit tests of Http1Parser: every framing/strictness rule as a table, pipelining, pause/resume,
 * byte-at-a-time and random splits, upgrade remainder, response framing, limits and reuse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Http1Parser, MessageKind } from '../../../../src/router/codec/http1-parser.js';
import { createSeededRandom } from '../../../../src/common/random.js';
import { LIMITS, Recorder, parse, summary } from './http1-recorder.js';

const H = 'Host: h\r\n';

interface RejectCase {
  name: string;
  input: string;
  code: string;
  status?: number;
  kind?: MessageKind;
  eof?: boolean;
}

const REJECTS: RejectCase[] = [
  { name: 'Content-Length and Transfer-Encoding', input: `POST / HTTP/1.1\r\n${H}Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n`, code: 'HPE_INVALID_TRANSFER_ENCODING' },
  { name: 'Transfer-Encoding and Content-Length', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n`, code: 'HPE_INVALID_CONTENT_LENGTH' },
  { name: 'CL and TE in a response too', kind: MessageKind.Response, input: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', code: 'HPE_INVALID_TRANSFER_ENCODING' },
  { name: 'duplicate equal Content-Length', input: `POST / HTTP/1.1\r\n${H}Content-Length: 1\r\nContent-Length: 1\r\n\r\nx`, code: 'HPE_UNEXPECTED_CONTENT_LENGTH' },
  { name: 'Content-Length: +1', input: `POST / HTTP/1.1\r\n${H}Content-Length: +1\r\n\r\nx`, code: 'HPE_INVALID_CONTENT_LENGTH' },
  { name: 'Content-Length: 1,1', input: `POST / HTTP/1.1\r\n${H}Content-Length: 1,1\r\n\r\nx`, code: 'HPE_INVALID_CONTENT_LENGTH' },
  { name: 'Content-Length past 2^53', input: `POST / HTTP/1.1\r\n${H}Content-Length: 9007199254740992\r\n\r\n`, code: 'HPE_INVALID_CONTENT_LENGTH' },
  { name: 'empty Content-Length', input: `POST / HTTP/1.1\r\n${H}Content-Length: \r\n\r\n`, code: 'HPE_INVALID_CONTENT_LENGTH' },
  { name: 'TE gzip in a request', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\n`, code: 'HPE_INVALID_TRANSFER_ENCODING' },
  { name: 'TE chunked, identity', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, identity\r\n\r\n`, code: 'HPE_INVALID_TRANSFER_ENCODING' },
  { name: 'TE chunked twice', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n`, code: 'HPE_INVALID_TRANSFER_ENCODING' },
  { name: 'TE in HTTP/1.0', input: 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', code: 'HPE_INVALID_TRANSFER_ENCODING' },
  { name: 'bare LF line ending', input: 'GET / HTTP/1.1\nHost: h\n\n', code: 'HPE_CR_EXPECTED' },
  { name: 'bare LF after a header', input: `GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n`, code: 'HPE_CR_EXPECTED' },
  { name: 'bare CR in a value', input: `GET / HTTP/1.1\r\n${H}X: a\rb\r\n\r\n`, code: 'HPE_LF_EXPECTED' },
  { name: 'CR not followed by LF at the end of the head', input: `GET / HTTP/1.1\r\n${H}\rX`, code: 'HPE_STRICT' },
  { name: 'obs-fold', input: `GET / HTTP/1.1\r\n${H}X: a\r\n b\r\n\r\n`, code: 'HPE_INVALID_HEADER_TOKEN' },
  { name: 'space before the first header', input: `GET / HTTP/1.1\r\n ${H}\r\n`, code: 'HPE_UNEXPECTED_SPACE' },
  { name: 'NUL in a value', input: `GET / HTTP/1.1\r\n${H}X: a\0b\r\n\r\n`, code: 'HPE_INVALID_HEADER_TOKEN' },
  { name: 'CTL in a value', input: `GET / HTTP/1.1\r\n${H}X: a\x1fb\r\n\r\n`, code: 'HPE_INVALID_HEADER_TOKEN' },
  { name: 'DEL in a value', input: `GET / HTTP/1.1\r\n${H}X: a\x7f\r\n\r\n`, code: 'HPE_INVALID_HEADER_TOKEN' },
  { name: 'NUL in a name', input: `GET / HTTP/1.1\r\n${H}X\0: b\r\n\r\n`, code: 'HPE_INVALID_HEADER_TOKEN' },
  { name: 'space before colon', input: 'GET / HTTP/1.1\r\nHost : h\r\n\r\n', code: 'HPE_INVALID_HEADER_TOKEN' },
  { name: 'separator in a name', input: `GET / HTTP/1.1\r\n${H}A/B: c\r\n\r\n`, code: 'HPE_INVALID_HEADER_TOKEN' },
  { name: 'empty name', input: `GET / HTTP/1.1\r\n${H}: c\r\n\r\n`, code: 'HPE_INVALID_HEADER_TOKEN' },
  { name: 'invalid method char', input: `G@T / HTTP/1.1\r\n${H}\r\n`, code: 'HPE_INVALID_METHOD' },
  { name: 'unknown method is 501', input: `BREW / HTTP/1.1\r\n${H}\r\n`, code: 'HPE_INVALID_METHOD', status: 501 },
  { name: 'CTL in the target', input: `GET /\x01 HTTP/1.1\r\n${H}\r\n`, code: 'HPE_INVALID_URL' },
  { name: 'obs-text in the target', input: `GET /\xff HTTP/1.1\r\n${H}\r\n`, code: 'HPE_INVALID_URL' },
  { name: 'target without leading /', input: `GET x HTTP/1.1\r\n${H}\r\n`, code: 'HPE_INVALID_URL' },
  { name: 'missing Host in HTTP/1.1', input: 'GET / HTTP/1.1\r\n\r\n', code: 'HPE_MISSING_HOST' },
  { name: 'two Host headers', input: `GET / HTTP/1.1\r\n${H}${H}\r\n`, code: 'HPE_DUPLICATE_HOST' },
  { name: 'two Host headers in HTTP/1.0', input: `GET / HTTP/1.0\r\n${H}${H}\r\n`, code: 'HPE_DUPLICATE_HOST' },
  { name: 'HTTP/1.2 is 505', input: `GET / HTTP/1.2\r\n${H}\r\n`, code: 'HPE_INVALID_VERSION', status: 505 },
  { name: 'HTTP/2.0 is 505', input: `GET / HTTP/2.0\r\n${H}\r\n`, code: 'HPE_INVALID_VERSION', status: 505 },
  { name: 'HTTP/0.9 is 505', input: 'GET /\r\n\r\n', code: 'HPE_INVALID_VERSION', status: 505 },
  { name: 'malformed version is 400', input: `GET / HTTP/1.x\r\n${H}\r\n`, code: 'HPE_INVALID_VERSION', status: 400 },
  { name: 'chunk size not hex', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nz\r\n`, code: 'HPE_INVALID_CHUNK_SIZE' },
  { name: 'chunk size past 2^53', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n20000000000001\r\n`, code: 'HPE_INVALID_CHUNK_SIZE' },
  { name: 'chunk size with trailing space', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n`, code: 'HPE_INVALID_CHUNK_SIZE' },
  { name: 'chunk extension with a space', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1; a=b\r\nx\r\n`, code: 'HPE_STRICT' },
  { name: 'chunk size with bare LF', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1\nx\r\n`, code: 'HPE_CR_EXPECTED' },
  { name: 'chunk data not followed by CRLF', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n`, code: 'HPE_STRICT' },
  { name: 'chunk data followed by LF', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1\r\nx\n`, code: 'HPE_CR_EXPECTED' },
  { name: 'data after Connection: close', input: `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n\r\nGET`, code: 'HPE_CLOSED_CONNECTION' },
  { name: 'EOF inside a head', input: `GET / HTTP/1.1\r\n${H}`, code: 'HPE_INVALID_EOF_STATE', eof: true },
  { name: 'EOF inside a body', input: `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\nab`, code: 'HPE_INVALID_EOF_STATE', eof: true },
  { name: 'response status with 2 digits', kind: MessageKind.Response, input: 'HTTP/1.1 20 OK\r\n\r\n', code: 'HPE_INVALID_STATUS' },
  { name: 'response status below 100', kind: MessageKind.Response, input: 'HTTP/1.1 099 X\r\n\r\n', code: 'HPE_INVALID_STATUS' },
  { name: 'response HTTP/2.0', kind: MessageKind.Response, input: 'HTTP/2.0 200 OK\r\n\r\n', code: 'HPE_INVALID_VERSION', status: 505 },
  { name: 'response not HTTP', kind: MessageKind.Response, input: 'ICY 200 OK\r\n\r\n', code: 'HPE_INVALID_CONSTANT' },
  { name: 'response EOF inside chunked body', kind: MessageKind.Response, input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab', code: 'HPE_INVALID_EOF_STATE', eof: true },
];

for (const c of REJECTS) {
  test(`rejects: ${c.name}`, () => {
    const kind = c.kind ?? MessageKind.Request;
    const whole = parse(kind, c.input, [], c.eof ?? false);
    assert.equal(whole.error?.code, c.code);
    assert.equal(whole.error?.status, c.status ?? 400);
    // Same outcome when fed one byte at a time (the error may be found at the line end instead).
    const bytes = parse(kind, c.input, [1], true);
    assert.notEqual(bytes.error, null);
  });
}

interface AcceptCase {
  name: string;
  input: string;
  kind?: MessageKind;
  eof?: boolean;
  /** Expected per message: selected head fields, body, trailers. */
  expect: Array<{ head: Record<string, unknown>; body?: string; trailers?: string[] | null }>;
}

const ACCEPTS: AcceptCase[] = [
  {
    name: 'GET head fields',
    input: 'GET /a?b HTTP/1.1\r\nHost: H.example\r\nX-Mixed-CASE:  v  a l \t\r\nEmpty:\r\n\r\n',
    expect: [{ head: { method: 'GET', url: '/a?b', versionMinor: 1, headers: ['host', 'H.example', 'x-mixed-case', 'v  a l', 'empty', ''], contentLength: -1, chunked: false, keepAlive: true, upgrade: false, statusCode: 0 }, body: '', trailers: null }],
  },
  { name: 'Content-Length body', input: `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\nabc`, expect: [{ head: { contentLength: 3, chunked: false }, body: 'abc' }] },
  {
    name: 'chunked body with extensions and trailers',
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip,  Chunked \r\n\r\n3;x=y;z="q\\"r"\r\nabc\r\nA\r\n0123456789\r\n0;last\r\nX-Sum: 9\r\nX-B:  c \r\n\r\n`,
    expect: [{ head: { chunked: true, contentLength: -1 }, body: 'abc0123456789', trailers: ['x-sum', '9', 'x-b', 'c'] }],
  },
  { name: 'chunked without trailers gives null', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, expect: [{ head: { chunked: true }, body: '', trailers: null }] },
  { name: 'HTTP/1.0 closes by default', input: 'GET / HTTP/1.0\r\n\r\n', expect: [{ head: { versionMinor: 0, keepAlive: false } }] },
  { name: 'HTTP/1.0 keep-alive', input: 'GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n', expect: [{ head: { versionMinor: 0, keepAlive: true } }] },
  { name: 'HTTP/1.1 Connection: close', input: `GET / HTTP/1.1\r\n${H}Connection: foo, Close\r\n\r\n`, expect: [{ head: { keepAlive: false } }] },
  { name: 'absolute-form target', input: `GET http://a.example:8080/p?q HTTP/1.1\r\n${H}\r\n`, expect: [{ head: { url: 'http://a.example:8080/p?q' } }] },
  { name: 'asterisk-form', input: `OPTIONS * HTTP/1.1\r\n${H}\r\n`, expect: [{ head: { method: 'OPTIONS', url: '*' } }] },
  { name: 'CONNECT is an upgrade with authority-form', input: 'CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n', expect: [{ head: { method: 'CONNECT', url: 'a.example:443', upgrade: true } }] },
  { name: 'Upgrade needs the Connection token', input: `GET / HTTP/1.1\r\n${H}Upgrade: websocket\r\n\r\n`, expect: [{ head: { upgrade: false } }] },
  { name: 'leading empty lines are skipped', input: `\r\n\n\r\nGET / HTTP/1.1\r\n${H}\r\n`, expect: [{ head: { method: 'GET' } }] },
  { name: 'empty Transfer-Encoding is ignored', input: `GET / HTTP/1.1\r\n${H}Transfer-Encoding:\r\n\r\n`, expect: [{ head: { chunked: false } }] },
  {
    name: 'pipelined requests in one buffer, in order',
    input: `GET /1 HTTP/1.1\r\n${H}\r\nPOST /2 HTTP/1.1\r\n${H}Content-Length: 2\r\n\r\nokPOST /3 HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\nGET /4 HTTP/1.1\r\n${H}\r\n`,
    expect: [{ head: { url: '/1' }, body: '' }, { head: { url: '/2' }, body: 'ok' }, { head: { url: '/3' }, body: 'z' }, { head: { url: '/4' } }],
  },
  // Responses
  { name: 'response with reason and Content-Length', kind: MessageKind.Response, input: 'HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno', expect: [{ head: { statusCode: 404, statusMessage: 'Not Found', method: '', url: '' }, body: 'no' }] },
  { name: 'response without reason', kind: MessageKind.Response, input: 'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n', expect: [{ head: { statusCode: 200, statusMessage: '' } }] },
  { name: 'response 204 has no body', kind: MessageKind.Response, input: 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', expect: [{ head: { statusCode: 204 }, body: '' }, { head: { statusCode: 200 } }] },
  { name: 'response 304 has no body', kind: MessageKind.Response, input: 'HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n', expect: [{ head: { statusCode: 304, chunked: true }, body: '' }] },
  { name: 'response chunked', kind: MessageKind.Response, input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n', expect: [{ head: { chunked: true, keepAlive: true }, body: 'hi' }] },
  { name: 'response read until close', kind: MessageKind.Response, eof: true, input: 'HTTP/1.1 200 OK\r\n\r\nall of it', expect: [{ head: { keepAlive: false, contentLength: -1 }, body: 'all of it' }] },
  { name: 'response non-chunked TE reads until close', kind: MessageKind.Response, eof: true, input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz', expect: [{ head: { keepAlive: false, chunked: false }, body: 'zz' }] },
  { name: 'response 101 is an upgrade', kind: MessageKind.Response, input: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n', expect: [{ head: { statusCode: 101, upgrade: true } }] },
];

for (const c of ACCEPTS) {
  test(`accepts: ${c.name}`, () => {
    const kind = c.kind ?? MessageKind.Request;
    const rec = parse(kind, c.input, [], c.eof ?? false);
    assert.equal(rec.error, null, rec.error?.message);
    assert.equal(rec.messages.length, c.expect.length);
    c.expect.forEach((e, i) => {
      const m = rec.messages[i];
      assert.equal(m.complete, true);
      for (const [k, v] of Object.entries(e.head)) assert.deepEqual((m.head as unknown as Record<string, unknown>)[k], v, `message ${i} ${k}`);
      if (e.body !== undefined) assert.equal(m.body, e.body);
      if (e.trailers !== undefined) assert.deepEqual(m.trailers, e.trailers);
    });
    // Byte at a time and random splits give the same events.
    const expected = summary(rec);
    assert.deepEqual(summary(parse(kind, c.input, [1], c.eof ?? false)), expected, 'byte at a time');
    const rand = createSeededRandom(c.name.length);
    for (let r = 0; r < 20; r++) {
      const pieces = [1 + Math.floor(rand() * 9), 1 + Math.floor(rand() * 30), 1 + Math.floor(rand() * 3)];
      assert.deepEqual(summary(parse(kind, c.input, pieces, c.eof ?? false)), expected, `pieces ${pieces.join(',')}`);
    }
  });
}

test('every split point of a pipelined chunked stream gives the same events', () => {
  const input = Buffer.from(`POST /1 HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n4;e=1\r\nWiki\r\n5\r\npedia\r\n0\r\nT: 1\r\n\r\nGET /2 HTTP/1.1\r\n${H}\r\n`, 'latin1');
  const expected = summary(parse(MessageKind.Request, input));
  for (let cut = 1; cut < input.length; cut++) {
    const rec = new Recorder();
    const p = new Http1Parser(MessageKind.Request, rec, LIMITS);
    p.execute(input.subarray(0, cut));
    p.execute(input.subarray(cut));
    assert.deepEqual(summary(rec), expected, `cut at ${cut}`);
  }
});

test('body chunks are subarrays of the input (no copies)', () => {
  const input = Buffer.from(`POST / HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`, 'latin1');
  const chunks: Buffer[] = [];
  const rec = new Recorder();
  rec.onBody = (c: Buffer) => chunks.push(c);
  new Http1Parser(MessageKind.Request, rec, LIMITS).execute(input);
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0].buffer, input.buffer);
});

test('pause() in onMessageComplete holds pipelined requests until resume()', () => {
  const input = `GET /1 HTTP/1.1\r\n${H}\r\nGET /2 HTTP/1.1\r\n${H}\r\nGET /3 HTTP/1.1\r\n${H}\r\n`;
  const rec = new Recorder();
  const parser = new Http1Parser(MessageKind.Request, rec, LIMITS);
  rec.onComplete = () => parser.pause();
  parser.execute(Buffer.from(input.slice(0, 40), 'latin1'));
  assert.equal(rec.messages.length, 1);
  assert.equal(parser.paused, true);
  assert.equal(parser.idle, false);
  parser.execute(Buffer.from(input.slice(40), 'latin1')); // appended while paused
  assert.equal(rec.messages.length, 1);
  parser.resume();
  assert.deepEqual(rec.messages.map((m) => m.head.url), ['/1', '/2']);
  parser.resume();
  assert.deepEqual(rec.messages.map((m) => m.head.url), ['/1', '/2', '/3']);
  parser.resume();
  assert.equal(parser.paused, false);
  assert.equal(parser.idle, true);
});

test('pause() in onMessageHead defers the completion of a bodiless request to resume()', () => {
  const rec = new Recorder();
  const parser = new Http1Parser(MessageKind.Request, rec, LIMITS);
  rec.onMessageHead = function (head) {
    Recorder.prototype.onMessageHead.call(this, head);
    parser.pause();
  };
  parser.execute(Buffer.from(`GET / HTTP/1.1\r\n${H}\r\n`, 'latin1'));
  assert.equal(rec.messages[0].complete, false);
  parser.resume();
  assert.equal(rec.messages[0].complete, true);
});

test('takeRemainder() after pause returns the unparsed bytes', () => {
  const rec = new Recorder();
  const parser = new Http1Parser(MessageKind.Request, rec, LIMITS);
  rec.onComplete = () => parser.pause();
  parser.execute(Buffer.from(`GET / HTTP/1.1\r\n${H}\r\nNEXT`, 'latin1'));
  assert.equal(parser.takeRemainder()?.toString(), 'NEXT');
});

test('upgrade: the bytes after the head are the remainder, available inside onMessageComplete', () => {
  const rec = new Recorder();
  const parser = new Http1Parser(MessageKind.Request, rec, LIMITS);
  let inside: string | undefined;
  rec.onComplete = () => {
    assert.equal(parser.upgraded, true);
    inside = parser.takeRemainder()?.toString('latin1');
  };
  parser.execute(Buffer.from(`GET /ws HTTP/1.1\r\n${H}Connection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x05hello`, 'latin1'));
  assert.equal(inside, '\x81\x05hello');
  parser.execute(Buffer.from('more'));
  assert.equal(parser.takeRemainder()?.toString(), 'more');
  assert.equal(rec.error, null);
});

test('upgrade request with a body: body first, then the tunnel', () => {
  const rec = parse(MessageKind.Request, `POST /u HTTP/1.1\r\n${H}Connection: upgrade\r\nUpgrade: x\r\nContent-Length: 2\r\n\r\nhiTUNNEL`);
  assert.equal(rec.messages[0].body, 'hi');
  assert.equal(rec.parser?.upgraded, true);
  assert.equal(rec.parser?.takeRemainder()?.toString(), 'TUNNEL');
});

test('CONNECT: bytes after the head are tunnel data even with Content-Length', () => {
  const rec = parse(MessageKind.Request, 'CONNECT h:1 HTTP/1.1\r\nHost: h:1\r\nContent-Length: 3\r\n\r\nabcdef');
  assert.equal(rec.messages[0].body, '');
  assert.equal(rec.parser?.takeRemainder()?.toString(), 'abcdef');
});

test('101 response: remainder is tunnel data', () => {
  const rec = parse(MessageKind.Response, 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\nDATA');
  assert.equal(rec.parser?.upgraded, true);
  assert.equal(rec.parser?.takeRemainder()?.toString(), 'DATA');
});

test('1xx responses go to onInformational and the final response follows', () => {
  const rec = parse(MessageKind.Response, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx');
  assert.deepEqual(rec.informational.map((h) => h.statusCode), [100, 103]);
  assert.deepEqual(rec.informational[1].headers, ['link', '</a>']);
  assert.equal(rec.messages.length, 1);
  assert.equal(rec.messages[0].body, 'x');
});

test('expectNoBody(): a HEAD response has no body, and the flag survives 1xx but not the final response', () => {
  const rec = new Recorder();
  const parser = new Http1Parser(MessageKind.Response, rec, LIMITS);
  parser.expectNoBody();
  parser.execute(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', 'latin1'));
  assert.equal(rec.messages[0].complete, true);
  assert.equal(rec.messages[0].head.contentLength, 10);
  assert.equal(parser.idle, true);
  parser.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', 'latin1'));
  assert.equal(rec.messages[1].body, 'ok');
});

test('finish(): clean between messages, completes a read-until-close body, pending while paused', () => {
  const idle = parse(MessageKind.Response, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', [], true);
  assert.equal(idle.error, null);
  const rec = new Recorder();
  const parser = new Http1Parser(MessageKind.Response, rec, LIMITS);
  rec.onMessageHead = function (head) {
    Recorder.prototype.onMessageHead.call(this, head);
    parser.pause();
  };
  parser.execute(Buffer.from('HTTP/1.0 200 OK\r\n\r\nbody', 'latin1'));
  parser.finish();
  assert.equal(rec.messages[0].complete, false);
  parser.resume();
  assert.equal(rec.messages[0].body, 'body');
  assert.equal(rec.messages[0].complete, true);
  assert.equal(rec.error, null);
});

test('limits: head over maxHeaderBytes is 431 (414 while still in the request line); too many headers is 431', () => {
  const small = { maxHeaderBytes: 100, maxHeadersCount: 3 };
  const big = parse(MessageKind.Request, `GET / HTTP/1.1\r\n${H}X: ${'a'.repeat(100)}\r\n\r\n`, [], false, small);
  assert.equal(big.error?.status, 431);
  const bigSplit = parse(MessageKind.Request, `GET / HTTP/1.1\r\n${H}X: ${'a'.repeat(100)}`, [7], false, small);
  assert.equal(bigSplit.error?.status, 431);
  const longUrl = parse(MessageKind.Request, `GET /${'u'.repeat(200)}`, [10], false, small);
  assert.equal(longUrl.error?.status, 414);
  const many = parse(MessageKind.Request, `GET / HTTP/1.1\r\n${H}A: 1\r\nB: 2\r\nC: 3\r\n\r\n`, [], false, small);
  assert.equal(many.error?.code, 'HPE_HEADER_OVERFLOW');
  assert.equal(many.error?.status, 431);
  const exact = `GET / HTTP/1.1\r\n${H}\r\n`;
  assert.equal(parse(MessageKind.Request, exact, [], false, { maxHeaderBytes: exact.length, maxHeadersCount: 1 }).error, null);
  assert.equal(parse(MessageKind.Request, exact, [], false, { maxHeaderBytes: exact.length - 1, maxHeadersCount: 1 }).error?.status, 431);
});

test('a byte-at-a-time head is linear (no quadratic re-copying)', () => {
  const head = `GET / HTTP/1.1\r\n${H}X: ${'v'.repeat(60_000)}\r\n\r\n`;
  const start = process.hrtime.bigint();
  const rec = parse(MessageKind.Request, head, [1], false, { maxHeaderBytes: 64 * 1024, maxHeadersCount: 10 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.equal(rec.error, null);
  assert.ok(ms < 2000, `${ms} ms`);
});

test('after an error the parser is dead until reset(); reset() makes it reusable', () => {
  const rec = new Recorder();
  const parser = new Http1Parser(MessageKind.Request, rec, LIMITS);
  parser.execute(Buffer.from('BAD\r\n\r\n'));
  assert.notEqual(rec.error, null);
  parser.execute(Buffer.from(`GET / HTTP/1.1\r\n${H}\r\n`));
  assert.equal(rec.messages.length, 0);
  assert.equal(parser.idle, false);
  parser.reset();
  rec.error = null;
  assert.equal(parser.idle, true);
  parser.execute(Buffer.from(`GET / HTTP/1.1\r\n${H}\r\n`));
  assert.equal(rec.messages.length, 1);
});

test('heads have one shape (same hidden class for requests and responses)', () => {
  const a = parse(MessageKind.Request, `GET / HTTP/1.1\r\n${H}\r\n`).messages[0].head;
  const b = parse(MessageKind.Response, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').messages[0].head;
  assert.deepEqual(Object.keys(a), Object.keys(b));
  assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b));
});
