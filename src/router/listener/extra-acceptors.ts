/**
 * More than one accept per event-loop turn: extra file descriptors for a listening socket.
 *
 * libuv (≥ 1.45, Node 20) accepts ONE connection per loop iteration and listening handle; it
 * relies on level-triggered epoll to report the rest next time. Under load an iteration is a
 * whole turn of request work (~250 µs here), so a burst of new connections waits one turn each —
 * 200 connections opened at once took ~100 ms to accept, and clients that close after every
 * request got one request per turn (7.3k req/s where HAProxy, which accepts up to 64 per loop,
 * did 34k; BENCHMARKS.md). Envoy accepts until the queue is empty.
 *
 * Every descriptor of the socket has its own libuv watcher, and each watcher accepts one per
 * turn. So the worker sends its listening handle to the primary, which sends it back several
 * times; each copy arrives as a new descriptor (SCM_RIGHTS) of the same kernel socket and
 * accept queue. A copy is listened on raw — its `onconnection` gets each accepted handle, which
 * becomes a net.Socket as Node's own server makes them — because net.Server cannot listen on a
 * handle inside a cluster worker (it would ask the primary to bind it again).
 *
 * Like adopt-socket.ts this uses undocumented parts of Node's TCP handle (`onconnection`,
 * `listen`, `close`); a handle without them is closed and the listener keeps its one descriptor.
 */
import net from 'node:net';
import { Logger } from '../../common/logger.js';

/** Extra descriptors per listener: with the server's own, up to this + 1 accepts per turn. */
export const EXTRA_ACCEPT_FDS = 15;

const log = new Logger('listener');

interface ListeningHandle {
  onconnection: ((status: number, client: unknown) => void) | null;
  listen(backlog: number): number;
  close(callback?: () => void): void;
}

/** The net.Server's own listening handle, to be duplicated; null where Node has none to share. */
export function listeningHandleOf(server: net.Server): object | null {
  const handle = (server as unknown as { _handle?: unknown })._handle;
  return isListeningHandle(handle) ? handle : null;
}

/** The extra acceptors of one listener. */
export class ExtraAcceptors {
  private readonly handles: ListeningHandle[] = [];
  private closed = false;

  constructor(
    private readonly backlog: number,
    private readonly onSocket: (socket: net.Socket) => void,
  ) {}

  get count(): number {
    return this.handles.length;
  }

  /** Starts accepting on `handle` (a copy of the listening socket); closes it when it cannot. */
  add(handle: unknown): void {
    if (!isListeningHandle(handle)) {
      (handle as { close?: () => void } | null)?.close?.();
      return;
    }
    if (this.closed) {
      handle.close();
      return;
    }
    handle.onconnection = this.onConnection;
    const err = handle.listen(this.backlog);
    if (err !== 0) {
      log.warn('extra acceptor did not start', { errno: err });
      handle.close();
      return;
    }
    this.handles.push(handle);
  }

  /** Stops accepting on every copy (the listener drains or is removed). */
  close(): void {
    this.closed = true;
    for (const handle of this.handles) {
      handle.onconnection = null;
      handle.close();
    }
    this.handles.length = 0;
  }

  private readonly onConnection = (status: number, client: unknown): void => {
    // A failed accept (EMFILE, ECONNABORTED) leaves nothing to serve; the next one may work.
    if (status !== 0 || client === undefined || client === null) return;
    const socket = new net.Socket({ handle: client, readable: true, writable: true } as unknown as net.SocketConstructorOpts);
    socket.setNoDelay(true);
    this.onSocket(socket);
  };
}

function isListeningHandle(handle: unknown): handle is ListeningHandle {
  if (typeof handle !== 'object' || handle === null) return false;
  const h = handle as Partial<ListeningHandle>;
  return typeof h.listen === 'function' && typeof h.close === 'function' && 'onconnection' in h;
}
