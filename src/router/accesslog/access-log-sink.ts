/**
 * Access-log sinks (stdout, stderr, file) and the AccessLogger that ties filter + formatter +
 * sink together. https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/access_loggers/file/v3/file.proto
 *
 * Writing is off the hot path: `write(line)` only appends to an in-memory batch. The batch goes
 * out as ONE stream write every FLUSH_INTERVAL_MS, or at once when it passes BATCH_FLUSH_BYTES
 * (Envoy's file flush is likewise buffer-size or timer driven: file_flush_interval, 1 s there).
 * Flushing per event-loop turn instead cost a file write for every few requests under load (5%
 * of a worker's CPU in the peer benchmark).
 *
 *   write(line) ─► encoded into a batch Buffer ──(100 ms | ≥64 KiB)──► stream.write(batch)
 *                    │                                    │ returns false
 *                    └── keeps growing while blocked ◄────┘ until 'drain'
 *                        past MAX_BUFFERED_BYTES: the line is dropped and counted
 *
 * `flush()` resolves once everything written so far reached the OS; `close()` flushes and, for
 * a file, ends the stream: the worker's drain calls them so no line is lost on SIGTERM.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { Buffer } from 'node:buffer';
import { InvalidArgumentError } from '../../common/errors.js';
import { Logger } from '../../common/logger.js';
import { formatErrors, joinPath, type FieldError } from '../../xds/validation.js';
import type { AccessLog } from '../../xds/resources/listener.types.js';
import type { AccessLogRecord } from './access-log-record.js';
import { compileAccessLogFilter, type AccessLogFilter } from './access-log-filter.js';
import { compileFormat, type Formatter } from './formatter.js';

const log = new Logger('accesslog');

/** A batch this large is written without waiting for the flush timer. */
export const BATCH_FLUSH_BYTES = 64 * 1024;
/** How long a line may wait in the batch (0 = the next event-loop turn). */
export const FLUSH_INTERVAL_MS = 100;
/** While the stream pushes back, at most this much is kept; later lines are dropped. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface AccessLogSink {
  /** Queues one formatted entry (newline included by the format). Never blocks, never throws. */
  write(line: string): void;
  /** Queues the entry `formatter` makes of `record`, formatted straight into the batch. */
  writeEntry(formatter: Formatter, record: AccessLogRecord): void;
  /** Resolves when every line queued so far has been handed to the OS. */
  flush(): Promise<void>;
  /** Flushes, then releases the stream (files are ended; stdout/stderr stay open). */
  close(): Promise<void>;
  /** Lines dropped because the stream pushed back past the cap, failed, or was closed. */
  readonly droppedLines: number;
}

export interface SinkOptions {
  readonly batchFlushBytes?: number;
  readonly flushIntervalMs?: number;
  readonly maxBufferedBytes?: number;
}

/**
 * A file stream pushes back only past this much in flight. With the stream's default (16 KiB)
 * every 64 KiB batch write returned false, and each 'drain' then wrote the few lines gathered
 * meanwhile: a thread-pool write, and a preemption of the worker's main thread on its core,
 * every 2–4 ms instead of every ~7.
 */
const FILE_HIGH_WATER_MARK = 1024 * 1024;

/** Room kept in a batch buffer beyond the flush threshold, so a batch rarely has to split. */
const BATCH_SLACK_BYTES = 16 * 1024;

/**
 * Batching over any Writable. Lines are encoded (UTF-8) into a batch buffer as they come, so the
 * line strings die young and a flush is one Buffer write, with no join of thousands of strings.
 */
export class StreamSink implements AccessLogSink {
  droppedLines = 0;
  /**
   * The buffer lines are encoded into. [chunkStart, chunkUsed) is the batch being built (chunkLines
   * lines); what lies before it was handed to the stream, so a flush leaves the tail for the next.
   */
  private chunk: Buffer | null = null;
  private chunkStart = 0;
  private chunkUsed = 0;
  private chunkLines = 0;
  /** Filled batches not yet written (more than one only while the stream pushes back). */
  private held: Buffer[] = [];
  private heldLines: number[] = [];
  /** Bytes queued in `held` and `chunk`. */
  private batchBytes = 0;
  private scheduled = false;
  private blocked = false;
  private failed = false;
  private closed = false;
  private inFlight = 0;
  /** Line counts of the writes not yet confirmed, oldest first (streams complete in order). */
  private inFlightLines: number[] = [];
  private idleWaiters: (() => void)[] = [];
  private readonly batchFlushBytes: number;
  private readonly flushIntervalMs: number;
  private readonly maxBufferedBytes: number;
  private readonly chunkBytes: number;

  constructor(
    private readonly stream: Writable,
    private readonly ownsStream: boolean,
    private readonly label: string,
    options: SinkOptions = {},
  ) {
    this.batchFlushBytes = options.batchFlushBytes ?? BATCH_FLUSH_BYTES;
    this.flushIntervalMs = options.flushIntervalMs ?? FLUSH_INTERVAL_MS;
    this.maxBufferedBytes = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
    this.chunkBytes = this.batchFlushBytes + BATCH_SLACK_BYTES;
    stream.on('error', this.onError);
  }

  write(line: string): void {
    if (this.closed || this.failed || (this.blocked && this.batchBytes + line.length > this.maxBufferedBytes)) {
      this.droppedLines++;
      return;
    }
    this.append(line);
    this.appended();
  }

  writeEntry(formatter: Formatter, record: AccessLogRecord): void {
    if (this.closed || this.failed || (this.blocked && this.batchBytes > this.maxBufferedBytes)) {
      this.droppedLines++;
      return;
    }
    let end = -1;
    if (this.chunk !== null) end = formatter.formatInto(record, this.chunk, this.chunkUsed);
    if (end < 0) {
      // No room left in this buffer (or none yet): a fresh one, and a line too long even for
      // that goes the string way.
      this.retireChunk();
      this.chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
      this.chunkStart = 0;
      this.chunkUsed = 0;
      end = formatter.formatInto(record, this.chunk, 0);
      if (end < 0) {
        this.append(formatter.format(record));
        this.appended();
        return;
      }
    }
    this.batchBytes += end - this.chunkUsed;
    this.chunkUsed = end;
    this.chunkLines++;
    this.appended();
  }

  /** After a line went into the batch: write the batch if it is big enough, else make sure a flush is due. */
  private appended(): void {
    if (this.blocked) return;
    if (this.batchBytes >= this.batchFlushBytes) this.writeBatch();
    else if (!this.scheduled) {
      this.scheduled = true;
      if (this.flushIntervalMs === 0) setImmediate(this.onTick);
      else setTimeout(this.onTick, this.flushIntervalMs).unref();
    }
  }

  async flush(): Promise<void> {
    this.writeBatch();
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (!this.ownsStream || this.failed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('close', resolve);
      this.stream.once('error', () => resolve());
      this.stream.end();
    });
  }

  /** Encodes one line into the batch; a line that could not fit (UTF-8: ≤ 3 bytes per UTF-16 unit) starts a new buffer. */
  private append(line: string): void {
    const worstCase = line.length * 3;
    if (this.chunk === null || this.chunkUsed + worstCase > this.chunk.length) {
      this.retireChunk();
      this.chunk = null;
      if (worstCase > this.chunkBytes) {
        const own = Buffer.from(line, 'utf8');
        this.held.push(own);
        this.heldLines.push(1);
        this.batchBytes += own.length;
        return;
      }
      this.chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
      this.chunkStart = 0;
      this.chunkUsed = 0;
    }
    const written = this.chunk.write(line, this.chunkUsed, 'utf8');
    this.chunkUsed += written;
    this.chunkLines++;
    this.batchBytes += written;
  }

  /** Moves the lines encoded so far into `held` (a view the stream keeps); later lines go after them. */
  private retireChunk(): void {
    if (this.chunk === null || this.chunkUsed === this.chunkStart) return;
    this.held.push(this.chunk.subarray(this.chunkStart, this.chunkUsed));
    this.heldLines.push(this.chunkLines);
    this.chunkStart = this.chunkUsed;
    this.chunkLines = 0;
  }

  private readonly onTick = (): void => {
    this.scheduled = false;
    if (!this.blocked) this.writeBatch();
  };

  private writeBatch(): void {
    if (this.failed) return;
    this.retireChunk();
    const held = this.held;
    if (held.length === 0) return;
    const lines = this.heldLines;
    this.held = [];
    this.heldLines = [];
    this.batchBytes = 0;
    for (let i = 0; i < held.length; i++) {
      this.inFlightLines.push(lines[i]);
      this.inFlight++;
      if (!this.stream.write(held[i], this.onWritten) && !this.blocked) {
        this.blocked = true;
        this.stream.once('drain', this.onDrain);
      }
    }
  }

  private readonly onDrain = (): void => {
    this.blocked = false;
    this.writeBatch();
  };

  private readonly onWritten = (err?: Error | null): void => {
    if (this.inFlight > 0) this.inFlight--;
    const lines = this.inFlightLines.shift() ?? 0;
    if (err) this.droppedLines += lines;
    if (this.inFlight === 0) this.wakeWaiters();
  };

  private wakeWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private readonly onError = (err: Error): void => {
    if (!this.failed) log.error('access log write failed; dropping its lines', { sink: this.label, error: err.message });
    this.failed = true;
    this.retireChunk();
    for (const n of this.heldLines) this.droppedLines += n;
    for (const n of this.inFlightLines) this.droppedLines += n;
    this.inFlightLines = [];
    this.held = [];
    this.heldLines = [];
    this.batchBytes = 0;
    // Writes that will never call back must not hold flush() forever.
    this.inFlight = 0;
    this.wakeWaiters();
  };
}

export class StdoutSink extends StreamSink {
  constructor(options?: SinkOptions) {
    super(process.stdout, false, 'stdout', options);
  }
}

export class StderrSink extends StreamSink {
  constructor(options?: SinkOptions) {
    super(process.stderr, false, 'stderr', options);
  }
}

/** Appends to `path` (flags 'a', created if missing), as Envoy's file access logger. */
export class FileSink extends StreamSink {
  readonly path: string;
  constructor(path: string, options?: SinkOptions) {
    super(createWriteStream(path, { flags: 'a', highWaterMark: FILE_HIGH_WATER_MARK }), true, path, options);
    this.path = path;
  }
}

/** One access log: filter → formatter → sink. `log()` runs once per finished request. */
export class AccessLogger {
  constructor(
    readonly filter: AccessLogFilter,
    readonly formatter: Formatter,
    readonly sink: AccessLogSink,
  ) {}

  log(record: AccessLogRecord): void {
    if (this.filter.evaluate(record)) this.sink.writeEntry(this.formatter, record);
  }

  flush(): Promise<void> {
    return this.sink.flush();
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}

/**
 * Every problem with an AccessLog's format and filter, each with its path under `path`
 * (e.g. `filterChains[0].…accessLog[1]`). Opens nothing.
 */
export function validateAccessLog(config: AccessLog, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  const format = compileFormat(config.format);
  const formatPath = joinPath(path, 'format');
  if (!format.ok) for (const e of format.errors) errors.push({ path: e.path === '' ? formatPath : joinPath(formatPath, e.path), message: e.message });
  const filter = compileAccessLogFilter(config.filter, joinPath(path, 'filter'));
  if (!filter.ok) errors.push(...filter.errors);
  return errors;
}

/** Sinks are per process and shared by destination, so two loggers on one file share one fd. */
const sharedSinks = new Map<string, AccessLogSink>();

function sinkFor(sink: AccessLog['sink']): AccessLogSink {
  const key = sink.kind === 'file' ? `file:${sink.path}` : sink.kind;
  let s = sharedSinks.get(key);
  if (s === undefined) {
    s = sink.kind === 'stdout' ? new StdoutSink() : sink.kind === 'stderr' ? new StderrSink() : new FileSink(sink.path);
    sharedSinks.set(key, s);
  }
  return s;
}

/**
 * Builds the logger for a validated AccessLog (worker, at config time). Throws
 * InvalidArgumentError when the config was not validated with `validateAccessLog` first.
 */
export function createAccessLogger(config: AccessLog): AccessLogger {
  const format = compileFormat(config.format);
  const filter = compileAccessLogFilter(config.filter);
  if (!format.ok || !filter.ok) {
    const errors = [...(format.ok ? [] : format.errors), ...(filter.ok ? [] : filter.errors)];
    throw new InvalidArgumentError(`invalid access log ${JSON.stringify(config.name)}:\n${formatErrors(errors)}`);
  }
  return new AccessLogger(filter.value, format.value, sinkFor(config.sink));
}

/** Flushes every shared sink (drain): resolves when all queued lines reached the OS. */
export async function flushAllSinks(): Promise<void> {
  await Promise.all([...sharedSinks.values()].map((s) => s.flush()));
}

/** Flushes and closes every shared sink (shutdown); later loggers reopen them. */
export async function closeAllSinks(): Promise<void> {
  const sinks = [...sharedSinks.values()];
  sharedSinks.clear();
  await Promise.all(sinks.map((s) => s.close()));
}
