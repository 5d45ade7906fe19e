/**
 * The one error type of the HTTP/1.1 codec. The parser hands it to `Http1ParserHandler.onError`
 * (it never throws it); the connection manager answers `status` downstream and records
 * `codec_error:<code>`, the upstream pool maps it to an `UPE` protocol error.
 *
 * Codes are llhttp's (`HPE_*`, as Node reports them in `err.code`) so that logs read the same as a
 * Node backend's; the few checks llhttp leaves to Node or does not do have codes in the same style
 * (`HPE_MISSING_HOST`, `HPE_DUPLICATE_HOST`, `HPE_URI_TOO_LONG`).
 */
export type Http1ParseErrorStatus = 400 | 413 | 414 | 431 | 501 | 505;

/**
 * An error's code, message and status as a constant. The scanning functions of the parser's parts
 * (start line, framing fields, chunk-size line) return a negative number on bad input; the parser
 * looks its spec up in that part's table and builds the Http1ParseError only then.
 */
export interface Http1ParseErrorSpec {
  readonly code: string;
  readonly message: string;
  readonly status: Http1ParseErrorStatus;
}

export class Http1ParseError extends Error {
  /** llhttp-style code, e.g. `HPE_INVALID_HEADER_TOKEN`, `HPE_UNEXPECTED_CONTENT_LENGTH`. */
  readonly code: string;
  /** The status a server answers with: 400 generally, 413/414/431 for limits, 501 unknown method, 505 version. */
  readonly status: Http1ParseErrorStatus;

  constructor(code: string, message: string, status: Http1ParseErrorStatus = 400) {
    super(message);
    this.name = 'Http1ParseError';
    this.code = code;
    this.status = status;
  }
}
