/**
 * Socket writes held until the end of the current event-loop turn, then made together.
 *
 * One epoll wakeup hands the worker many ready sockets. Writing each response the moment it is
 * ready wakes the peer's idle CPU once per write (an inter-processor interrupt, expensive in a
 * VM; perf showed the wakeup at ~19% of the worker's time); writing them in one burst after the
 * turn's I/O callbacks (setImmediate runs right after the poll phase) wakes it once and the next
 * writes find it running. The delay is bounded by the turn itself, never by a timer.
 *
 * A writer holds at most one deferred write and must flush it before anything else it does to
 * its socket (another write, end, upgrade), so bytes keep their order. DeferredSocketWrite (below)
 * is that writer for one socket.
 */
import type net from 'node:net';
import { writeDirect } from './direct-write.js';
import { Logger } from './logger.js';

export interface DeferredWriter {
  /** Writes what this writer held back; called once per scheduleDeferredFlush, maybe after the writer flushed itself. */
  flushDeferred(): void;
}

const log = new Logger('write-batch');
const waiting: DeferredWriter[] = [];
let scheduled = false;

/** Asks for `writer.flushDeferred()` at the end of this turn. */
export function scheduleDeferredFlush(writer: DeferredWriter): void {
  waiting.push(writer);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushAll);
  }
}

function flushAll(): void {
  scheduled = false;
  // Writers added while we flush (none today: a flush only writes) are flushed in this pass too.
  // One writer that throws must not leave the others' responses unwritten.
  for (let i = 0; i < waiting.length; i++) {
    try {
      waiting[i].flushDeferred();
    } catch (err) {
      log.error('deferred write failed', { error: (err as Error).message });
    }
  }
  waiting.length = 0;
}

/** Counts the bytes a DeferredSocketWrite writes (a stats Counter). */
export interface ByteCounter {
  add(n: number): void;
}

/**
 * One socket's held write: a fresh buffer kept for the end of the turn, then handed straight to
 * the socket's handle (direct-write.ts) and counted. The HTTP/1 response writer and the upstream
 * connection each own one, and flush it before anything else they write to the socket.
 */
export class DeferredSocketWrite implements DeferredWriter {
  private data: Buffer | null = null;

  constructor(
    private readonly socket: net.Socket,
    private readonly written: ByteCounter,
  ) {}

  /** Holds `data` (unchanged until written) for the end of this turn, after what was held before. */
  hold(data: Buffer): void {
    this.flushDeferred();
    this.data = data;
    scheduleDeferredFlush(this);
  }

  /** Writes what is held now; nothing once the socket is destroyed or ended. */
  flushDeferred(): void {
    const data = this.data;
    if (data === null) return;
    this.data = null;
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return;
    this.written.add(data.length);
    writeDirect(socket, data);
  }

  /** Drops what is held (the connection is going away). */
  discard(): void {
    this.data = null;
  }
}
