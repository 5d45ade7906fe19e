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
 * accept queue. A copy is listened on raw — its `onconnection` gets each accepted handle —
 * because net.Server cannot listen on a handle inside a cluster worker (it would ask the primary
 * to bind it again); the server's own descriptor is taken over the same way (Acceptors).
 *
 * Like adopt-socket.ts this uses undocumented parts of Node's TCP handle (`onconnection`,
 * `listen`, `close`); a handle without them is closed and the listener keeps its one descriptor.
 */
import type net from 'node:net';
import { Logger } from '../../common/logger.js';

/** Extra descriptors per listener: with the server's own, up to this + 1 accepts per turn. */
export const EXTRA_ACCEPT_FDS = 15;

const log = new Logger('listener');

interface ListeningHandle {
  onconnection: ((status: number, client: unknown) => void) | null;
  listen(backlog: number): number;
  close(callback?: () => void): void;
  /** TCP's setsockopt(TCP_NODELAY); 0 on success. */
  setNoDelay?(on: boolean): number;
}

/** The net.Server's own listening handle, to be duplicated; null where Node has none to share. */
export function listeningHandleOf(server: net.Server): ListeningHandle | null {
  const handle = (server as unknown as { _handle?: unknown })._handle;
  return isListeningHandle(handle) ? handle : null;
}

/**
 * Sets TCP_NODELAY on the listening socket, so that every connection accepted on it starts with it:
 * Linux copies a listener's TCP options into each socket it accepts, so no connection needs its
 * own setsockopt. True when accepted sockets have it; false elsewhere or when the handle cannot
 * (callers then set it per connection).
 */
export function setNoDelayForAccepted(server: net.Server): boolean {
  if (process.platform !== 'linux') return false;
  const handle = listeningHandleOf(server);
  return typeof handle?.setNoDelay === 'function' && handle.setNoDelay(true) === 0;
}

/** Closes a handle that came over IPC or from an accept and that nobody will use (nothing when it has no close()). */
export function closeHandle(handle: unknown): void {
  (handle as { close?: () => void } | null | undefined)?.close?.();
}

/**
 * The descriptors one listener accepts on: the net.Server's own, taken over, and the copies. Each
 * accepted connection's handle goes to `onHandle` raw, so the listener builds the one socket it
 * wants (shared reads for HTTP/1: adopt-socket.ts) instead of replacing the one Node made.
 */
export class Acceptors {
  private readonly handles: ListeningHandle[] = [];
  private closed = false;

  constructor(
    private readonly backlog: number,
    private readonly onHandle: (client: object) => void,
  ) {}

  /**
   * Routes the connections of `server` (listening) to `onHandle` instead of its 'connection'
   * event; false (and nothing changed) when its handle is not the kind this knows.
   */
  takeOver(server: net.Server): boolean {
    const handle = listeningHandleOf(server);
    if (handle === null) return false;
    handle.onconnection = this.onConnection;
    return true;
  }

  /** Starts accepting on `handle` (a copy of the listening socket); closes it when it cannot. */
  add(handle: unknown): void {
    if (!isListeningHandle(handle)) {
      closeHandle(handle);
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

  /** Stops accepting on every copy (the listener drains or is removed; it closes its server itself). */
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
    if (status !== 0 || typeof client !== 'object' || client === null) return;
    this.onHandle(client);
  };
}

function isListeningHandle(handle: unknown): handle is ListeningHandle {
  if (typeof handle !== 'object' || handle === null) return false;
  const h = handle as Partial<ListeningHandle>;
  return typeof h.listen === 'function' && typeof h.close === 'function' && 'onconnection' in h;
}
