/**
 * Test helper: an Http1ParserHandler that records every event, plus feeders that split input
 * in different ways, so every test can compare "whole buffer" with "byte at a time".
 */
import { Http1Parser, MessageKind, type Http1MessageHead, type Http1ParserHandler, type Http1ParseError } from '../../../../src/router/codec/http1-parser.js';

export interface RecordedMessage {
  head: Http1MessageHead;
  body: string;
  trailers: string[] | null;
  complete: boolean;
}

export class Recorder implements Http1ParserHandler {
  readonly messages: RecordedMessage[] = [];
  readonly informational: Http1MessageHead[] = [];
  error: Http1ParseError | null = null;
  /** Called after each onMessageComplete (e.g. to pause). */
  onComplete: ((r: Recorder) => void) | null = null;
  parser: Http1Parser | null = null;

  onMessageHead(head: Http1MessageHead): void {
    this.messages.push({ head, body: '', trailers: null, complete: false });
  }
  onInformational(head: Http1MessageHead): void {
    this.informational.push(head);
  }
  onBody(chunk: Buffer): void {
    this.messages[this.messages.length - 1].body += chunk.toString('latin1');
  }
  onMessageComplete(trailers: string[] | null): void {
    const m = this.messages[this.messages.length - 1];
    m.trailers = trailers;
    m.complete = true;
    if (this.onComplete !== null) this.onComplete(this);
  }
  onError(error: Http1ParseError): void {
    if (this.error !== null) throw new Error('onError called twice');
    this.error = error;
  }
}

export const LIMITS = { maxHeaderBytes: 16 * 1024, maxHeadersCount: 100 };

/** Parses `input` fed in pieces of the given sizes (cycled), then optionally EOF. */
export function parse(kind: MessageKind, input: string | Buffer, pieces: number[] = [], eof = false, options = LIMITS): Recorder {
  const rec = new Recorder();
  const parser = new Http1Parser(kind, rec, options);
  rec.parser = parser;
  const buf = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  if (pieces.length === 0) {
    parser.execute(buf);
  } else {
    let p = 0;
    let k = 0;
    while (p < buf.length) {
      const n = Math.max(1, pieces[k++ % pieces.length]);
      parser.execute(buf.subarray(p, p + n));
      p += n;
    }
  }
  if (eof) parser.finish();
  return rec;
}

/** A comparable summary of what a parse produced. */
export function summary(rec: Recorder): unknown {
  return {
    error: rec.error === null ? null : rec.error.code,
    informational: rec.informational.map((h) => h.statusCode),
    messages: rec.messages.map((m) => ({ ...m, head: { ...m.head } })),
  };
}

/**
 * Accept/reject in the oracle's terms (see llhttp-oracle.ts): an error after an upgrade head is
 * in bytes a WebSocket backend tunnels without parsing, so it does not count; an upgrade head
 * counts as a completed message.
 */
export function verdict(rec: Recorder): { accepted: boolean; completed: number; code: string | null } {
  let completed = 0;
  for (const m of rec.messages) if (m.complete || m.head.upgrade) completed++;
  const last = rec.messages[rec.messages.length - 1];
  const afterUpgrade = last !== undefined && last.head.upgrade;
  const accepted = rec.error === null || afterUpgrade;
  return { accepted, completed, code: rec.error?.code ?? null };
}
