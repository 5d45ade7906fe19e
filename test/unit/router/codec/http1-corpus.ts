/**
 * Request shapes for the differential and fuzz tests: valid requests and the malformed ones that
 * matter for request smuggling and header injection (CL.TE, TE.CL, TE obfuscation, obs-fold, bare
 * CR/LF, NUL, whitespace before the colon, bad chunk sizes, …). Each input is latin1 text.
 */
export interface CorpusCase {
  name: string;
  input: string;
}

const H = 'Host: example.com\r\n';

export const VALID_REQUESTS: CorpusCase[] = [
  { name: 'simple GET', input: `GET / HTTP/1.1\r\n${H}\r\n` },
  { name: 'GET with query and fragment', input: `GET /a/b?c=d&e=%20f#frag HTTP/1.1\r\n${H}\r\n` },
  { name: 'POST with Content-Length', input: `POST /submit HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello` },
  { name: 'Content-Length with OWS and trailing SP', input: `POST / HTTP/1.1\r\n${H}Content-Length: \t 5  \r\n\r\nhello` },
  { name: 'Content-Length: 0', input: `POST / HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n` },
  { name: 'chunked with extensions', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5;a=b;c\r\nhello\r\n0006;q="x\\"y"\r\n world\r\n0\r\n\r\n` },
  { name: 'chunked with trailers', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Checksum: 1\r\nX-More: two\r\n\r\n` },
  { name: 'Transfer-Encoding: gzip, chunked', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding: Chunked (case)', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: ChUnKeD\r\n\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding with a leading tab', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n` },
  { name: 'empty Transfer-Encoding is ignored', input: `GET / HTTP/1.1\r\n${H}Transfer-Encoding:\r\n\r\n` },
  { name: 'HTTP/1.0 without Host', input: 'GET / HTTP/1.0\r\n\r\n' },
  { name: 'HTTP/1.0 keep-alive pipelined', input: 'GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n' },
  { name: 'absolute-form', input: `GET http://example.com/x?y HTTP/1.1\r\n${H}\r\n` },
  { name: 'absolute-form without path', input: `GET http://user@example.com:8080 HTTP/1.1\r\n${H}\r\n` },
  { name: 'CONNECT authority-form', input: 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n' },
  { name: 'OPTIONS *', input: `OPTIONS * HTTP/1.1\r\n${H}\r\n` },
  { name: 'websocket upgrade', input: `GET /ws HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n` },
  { name: 'three pipelined requests', input: `GET /1 HTTP/1.1\r\n${H}\r\nPOST /2 HTTP/1.1\r\n${H}Content-Length: 2\r\n\r\nokGET /3 HTTP/1.1\r\n${H}\r\n` },
  { name: 'leading CRLF before the request line', input: `\r\n\r\nGET / HTTP/1.1\r\n${H}\r\n` },
  { name: 'tab and obs-text in a value, empty value', input: `GET / HTTP/1.1\r\n${H}X-A: a\tb \xe9\xff\r\nX-Empty:\r\n\r\n` },
  { name: 'all tchar in a header name', input: `GET / HTTP/1.1\r\n${H}X-!#$%&'*+.^_\`|~09: v\r\n\r\n` },
  { name: 'repeated SP between request-line parts', input: `GET   /   HTTP/1.1\r\n${H}\r\n` },
  { name: 'Connection: close, single request', input: `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n` },
  { name: 'empty Host', input: 'GET / HTTP/1.1\r\nHost:\r\n\r\n' },
  { name: 'PURGE and M-SEARCH methods', input: `PURGE /x HTTP/1.1\r\n${H}\r\nM-SEARCH * HTTP/1.1\r\n${H}\r\n` },
];

export const MALFORMED_REQUESTS: CorpusCase[] = [
  { name: 'CL.TE: Content-Length then Transfer-Encoding', input: `POST / HTTP/1.1\r\n${H}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX` },
  { name: 'TE.CL: Transfer-Encoding then Content-Length', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n` },
  { name: 'TE.CL with Content-Length: 0', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n` },
  { name: 'duplicate equal Content-Length', input: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello` },
  { name: 'duplicate different Content-Length', input: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!` },
  { name: 'Content-Length: +5', input: `POST / HTTP/1.1\r\n${H}Content-Length: +5\r\n\r\nhello` },
  { name: 'Content-Length: -1', input: `POST / HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n` },
  { name: 'Content-Length list 5,5', input: `POST / HTTP/1.1\r\n${H}Content-Length: 5,5\r\n\r\nhello` },
  { name: 'Content-Length hex', input: `POST / HTTP/1.1\r\n${H}Content-Length: 0x5\r\n\r\nhello` },
  { name: 'Content-Length with inner space', input: `POST / HTTP/1.1\r\n${H}Content-Length: 5 5\r\n\r\nhello` },
  { name: 'empty Content-Length', input: `POST / HTTP/1.1\r\n${H}Content-Length:\r\n\r\n` },
  { name: 'Content-Length with trailing tab', input: `POST / HTTP/1.1\r\n${H}Content-Length: 5\t\r\n\r\nhello` },
  { name: 'Content-Length overflow', input: `POST / HTTP/1.1\r\n${H}Content-Length: 99999999999999999999999\r\n\r\nx` },
  { name: 'Transfer-Encoding: chunked, identity', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding: identity', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: identity\r\n\r\nhello` },
  { name: 'Transfer-Encoding: gzip', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\nhello` },
  { name: 'two Transfer-Encoding: chunked headers', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding: chunked then gzip header', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding: chunked with trailing tab', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\t\r\n\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding: xchunked', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding: chunked, chunked', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding with space before colon', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding obs-folded', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n` },
  { name: 'Transfer-Encoding with vertical tab', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding:\x0bchunked\r\n\r\n0\r\n\r\n` },
  { name: 'obs-fold continuation line', input: `GET / HTTP/1.1\r\n${H}X-Foo: a\r\n b\r\n\r\n` },
  { name: 'obs-fold with tab', input: `GET / HTTP/1.1\r\n${H}X-Foo: a\r\n\tb\r\n\r\n` },
  { name: 'space before the first header', input: `GET / HTTP/1.1\r\n ${H}\r\n` },
  { name: 'NUL in a header value', input: `GET / HTTP/1.1\r\n${H}X-A: a\x00b\r\n\r\n` },
  { name: 'NUL in a header name', input: `GET / HTTP/1.1\r\n${H}X\x00A: b\r\n\r\n` },
  { name: 'CTL 0x01 in a header value', input: `GET / HTTP/1.1\r\n${H}X-A: a\x01b\r\n\r\n` },
  { name: 'DEL in a header value', input: `GET / HTTP/1.1\r\n${H}X-A: a\x7fb\r\n\r\n` },
  { name: 'vertical tab in a header value', input: `GET / HTTP/1.1\r\n${H}X-A: a\x0bb\r\n\r\n` },
  { name: 'obs-text in a header name', input: `GET / HTTP/1.1\r\n${H}X-\xe9: b\r\n\r\n` },
  { name: 'bare LF line endings', input: 'GET / HTTP/1.1\nHost: example.com\n\n' },
  { name: 'bare LF after the request line', input: `GET / HTTP/1.1\n${H}\r\n` },
  { name: 'bare LF after a header', input: `GET / HTTP/1.1\r\nHost: example.com\nX-A: b\r\n\r\n` },
  { name: 'bare LF ending the head', input: `GET / HTTP/1.1\r\n${H}\n` },
  { name: 'bare CR inside a header value', input: `GET / HTTP/1.1\r\n${H}X-A: a\rb\r\n\r\n` },
  { name: 'CR CR LF after a header', input: `GET / HTTP/1.1\r\n${H}X-A: b\r\r\n\r\n` },
  { name: 'bare CR ending the head', input: `GET / HTTP/1.1\r\n${H}\rX` },
  { name: 'space before colon', input: `GET / HTTP/1.1\r\nHost : example.com\r\n\r\n` },
  { name: 'tab before colon', input: `GET / HTTP/1.1\r\n${H}X-A\t: b\r\n\r\n` },
  { name: 'empty header name', input: `GET / HTTP/1.1\r\n${H}: b\r\n\r\n` },
  { name: 'separator in a header name', input: `GET / HTTP/1.1\r\n${H}X(Y): b\r\n\r\n` },
  { name: 'header line without colon', input: `GET / HTTP/1.1\r\n${H}NoColon\r\n\r\n` },
  { name: 'missing Host in HTTP/1.1', input: 'GET / HTTP/1.1\r\nX-A: b\r\n\r\n' },
  { name: 'invalid method character', input: `GE(T / HTTP/1.1\r\n${H}\r\n` },
  { name: 'lower-case method', input: `get / HTTP/1.1\r\n${H}\r\n` },
  { name: 'unknown method', input: `FOO / HTTP/1.1\r\n${H}\r\n` },
  { name: 'leading space before the method', input: ` GET / HTTP/1.1\r\n${H}\r\n` },
  { name: 'HTTP/1.2', input: `GET / HTTP/1.2\r\n${H}\r\n` },
  { name: 'HTTP/3.0', input: `GET / HTTP/3.0\r\n${H}\r\n` },
  { name: 'lower-case http/1.1', input: `GET / http/1.1\r\n${H}\r\n` },
  { name: 'trailing space after the version', input: `GET / HTTP/1.1 \r\n${H}\r\n` },
  { name: 'two-digit minor version', input: `GET / HTTP/1.10\r\n${H}\r\n` },
  { name: 'space inside the request-target', input: `GET /a b HTTP/1.1\r\n${H}\r\n` },
  { name: 'CTL in the request-target', input: `GET /a\x01b HTTP/1.1\r\n${H}\r\n` },
  { name: 'tab in the request-target', input: `GET /a\tb HTTP/1.1\r\n${H}\r\n` },
  { name: 'obs-text in the request-target', input: `GET /caf\xe9 HTTP/1.1\r\n${H}\r\n` },
  { name: 'request-target not starting with /', input: `GET a HTTP/1.1\r\n${H}\r\n` },
  { name: 'absolute-form with one slash', input: `GET http:/example.com/ HTTP/1.1\r\n${H}\r\n` },
  { name: 'absolute-form with double @', input: `GET http://a@@b/ HTTP/1.1\r\n${H}\r\n` },
  { name: 'CONNECT with a space in the authority', input: 'CONNECT a b:443 HTTP/1.1\r\nHost: a\r\n\r\n' },
  { name: 'huge chunk size', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nx\r\n0\r\n\r\n` },
  { name: 'non-hex chunk size', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5g\r\nhello\r\n0\r\n\r\n` },
  { name: 'negative chunk size', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n` },
  { name: 'empty chunk size', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n` },
  { name: 'space after chunk size', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n` },
  { name: 'space before chunk extension', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5 ;a=b\r\nhello\r\n0\r\n\r\n` },
  { name: 'space inside chunk extension', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5;a b\r\nhello\r\n0\r\n\r\n` },
  { name: 'unterminated quoted chunk extension', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5;a="b\r\nhello\r\n0\r\n\r\n` },
  { name: 'chunk data not followed by CRLF', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n` },
  { name: 'chunk data followed by bare LF', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n` },
  { name: 'bare LF after chunk size', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n` },
  { name: 'missing last chunk at EOF', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n` },
  { name: 'body shorter than Content-Length at EOF', input: `POST / HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\nhello` },
  { name: 'head cut off at EOF', input: `GET / HTTP/1.1\r\n${H}X-A: b` },
  { name: 'data after Connection: close', input: `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\nGET /2 HTTP/1.1\r\n${H}\r\n` },
  { name: 'Content-Length in trailers', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n` },
  { name: 'obs-fold in trailers', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nX-A: a\r\n b\r\n\r\n` },
  { name: 'NUL in trailers', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nX-A: a\x00\r\n\r\n` },
  { name: 'garbage instead of a request', input: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' },
];

/**
 * Deliberate disagreements: inputs llhttp (Node) accepts and we reject, each for an RFC 9112 rule
 * llhttp leaves out. None of them lets the two sides frame a message differently: we refuse it.
 */
export const STRICTER_THAN_LLHTTP: CorpusCase[] = [
  // RFC 9112 §3.2: "A server MUST respond with a 400 … to any HTTP/1.1 request message … that contains more than one Host header field line".
  { name: 'duplicate Host', input: 'GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n' },
  // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
  { name: 'Transfer-Encoding in an HTTP/1.0 request', input: 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' },
  // Only HTTP/1.0 and 1.1 are served on this codec (505); llhttp also takes 0.9 and 2.0 request lines.
  { name: 'HTTP/0.9 request line', input: 'GET /\r\n\r\n' },
  { name: 'HTTP/0.9 request line ended by a bare LF', input: 'GET /\n\r\n' },
  { name: 'HTTP/2.0 request line', input: 'GET / HTTP/2.0\r\nHost: a\r\n\r\n' },
  // A Node server with an 'upgrade' listener skips its Host and Transfer-Encoding checks for
  // upgrade requests (it hands the socket over right after the head); we check every request alike.
  { name: 'upgrade request without Host', input: 'GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n' },
  { name: 'upgrade request with Transfer-Encoding: gzip', input: 'GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\nTransfer-Encoding: gzip\r\n\r\n' },
];
