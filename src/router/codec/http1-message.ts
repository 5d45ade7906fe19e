/**
 * The HTTP/1.x parser's contract with its callers: the message kind, the parsed head handed to the
 * handler, the handler interface and the limits. Http1Parser (http1-parser.ts) produces
 * MessageHead; the connection manager, the upstream connection and the health checker consume it.
 */
import type { Http1ParseError } from './http1-parse-error.js';

export const enum MessageKind {
  Request = 0,
  Response = 1,
}

/** One parsed request or response head, handed to `onMessageHead` / `onInformational`. */
export interface Http1MessageHead {
  /** Request only ('' for responses); one of the methods llhttp knows, case-sensitive. */
  method: string;
  /** Request-target as received: origin-form, absolute-form, authority-form (CONNECT) or '*'. */
  url: string;
  /** Response only (0 for requests). */
  statusCode: number;
  /** Response only. */
  statusMessage: string;
  versionMinor: 0 | 1;
  /** Flat [name0, value0, …]: names lower-cased, values with leading/trailing OWS trimmed. */
  headers: string[];
  /** -1 when absent. */
  contentLength: number;
  /** Transfer-Encoding's final coding is chunked. */
  chunked: boolean;
  /** HTTP/1.1: unless `Connection: close`; HTTP/1.0: only with `Connection: keep-alive`; false for read-until-close bodies. */
  keepAlive: boolean;
  /** Request: Connection token "upgrade" and an Upgrade header, or CONNECT; response: status 101. */
  upgrade: boolean;
}

/**
 * Receives the parser's events, synchronously, from inside `execute()` / `resume()` / `finish()`.
 * The connection manager implements it downstream, the upstream connection upstream.
 */
export interface Http1ParserHandler {
  onMessageHead(head: Http1MessageHead): void;
  /** Response parser: a 1xx other than 101 (e.g. 100 Continue). Parsing continues with the next head. */
  onInformational?(head: Http1MessageHead): void;
  /** De-chunked payload bytes, as subarrays of the input (valid until the caller reuses that buffer). */
  onBody(chunk: Buffer): void;
  /** The message ended; `trailers` is the flat trailer list of a chunked message, or null when there are none. */
  onMessageComplete(trailers: string[] | null): void;
  /** The input is not acceptable HTTP/1.x. The parser is dead until `reset()`. */
  onError(error: Http1ParseError): void;
}

export interface Http1ParserOptions {
  /** Bytes of the whole head, start line and CRLFs included (also bounds a trailer section); 431 past it. */
  maxHeaderBytes: number;
  /** Header fields per head (and per trailer section); 431 past it. */
  maxHeadersCount: number;
  /**
   * The caller reuses each input buffer once execute() returns (a socket read with `onread` into
   * one shared buffer): whatever the parser keeps across calls is copied. Body chunks given to
   * `onBody` are then valid only during that call.
   */
  transientInput?: boolean;
}

/** The one class behind every Http1MessageHead, so that all heads share a hidden class. */
export class MessageHead implements Http1MessageHead {
  method: string;
  url: string;
  statusCode: number;
  statusMessage: string;
  versionMinor: 0 | 1;
  headers: string[];
  contentLength: number;
  chunked: boolean;
  keepAlive: boolean;
  upgrade: boolean;
  constructor(
    method: string, url: string, statusCode: number, statusMessage: string, versionMinor: 0 | 1, headers: string[],
    contentLength: number, chunked: boolean, keepAlive: boolean, upgrade: boolean,
  ) {
    this.method = method;
    this.url = url;
    this.statusCode = statusCode;
    this.statusMessage = statusMessage;
    this.versionMinor = versionMinor;
    this.headers = headers;
    this.contentLength = contentLength;
    this.chunked = chunked;
    this.keepAlive = keepAlive;
    this.upgrade = upgrade;
  }
}
