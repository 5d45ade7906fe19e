/**
 * Downstream sockets that read into one shared buffer (`onread`), and moving an accepted
 * connection's handle from one net.Socket to another.
 *
 * Node offers `onread` to sockets it connects, not to those a server accepts; those read through
 * Readable, with a fresh malloc'd ArrayBuffer and a nextTick per read. Under load those buffers
 * are half of every scavenge's pause (freeing a few thousand of them each time) and the path
 * costs ~15% of the worker's user CPU (BENCHMARKS.md). So the HTTP/1 codec, which parses each
 * read synchronously and copies what it keeps, reads through a `new net.Socket({ handle, onread })`,
 * as Node's own server builds its sockets: made so at accept (acceptors.ts), or adopted from a
 * socket Node's server made.
 *
 * This leans on two undocumented details of net.Socket, `_handle` and the handle's `reading`
 * flag; when they are not there (another runtime, a TLS socket) the caller keeps the socket.
 */
import net from 'node:net';

interface StreamHandle {
  reading: boolean;
  readStop(): number;
}

/** A socket on the accepted connection `handle` whose reads go to `onRead` (a view of `buffer`, valid during the call). */
export function socketWithSharedReads(handle: object, buffer: Buffer, onRead: (data: Buffer) => void, allowHalfOpen = false): net.Socket {
  const options = {
    handle,
    allowHalfOpen,
    onread: {
      buffer,
      callback: (nread: number, buf: Buffer): boolean => {
        onRead(buf.subarray(0, nread));
        return true;
      },
    },
  };
  return new net.Socket(options as unknown as net.SocketConstructorOpts);
}

/**
 * Returns a socket on `socket`'s handle whose reads go to `onRead`, or null to keep `socket` as
 * it is. `socket` must be paused with nothing buffered; it is destroyed without closing the
 * connection.
 */
export function adoptWithSharedReads(socket: net.Socket, buffer: Buffer, onRead: (data: Buffer) => void): net.Socket | null {
  if (socket.readableLength > 0) return null;
  const allowHalfOpen = socket.allowHalfOpen;
  const handle = detachHandle(socket);
  return handle === null ? null : socketWithSharedReads(handle, buffer, onRead, allowHalfOpen);
}

/**
 * Moves a shared-reads socket's connection onto a plain net.Socket (reads through Readable), for
 * a consumer that needs one (node:http2); null when `socket` has no handle to give.
 */
export function moveToPlainSocket(socket: net.Socket): net.Socket | null {
  const allowHalfOpen = socket.allowHalfOpen;
  const handle = detachHandle(socket);
  if (handle === null) return null;
  return new net.Socket({ handle, allowHalfOpen } as unknown as net.SocketConstructorOpts);
}

/** Stops `socket`'s reads and takes its handle; the emptied socket is destroyed, the connection stays open. */
function detachHandle(socket: net.Socket): StreamHandle | null {
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  if (handle === undefined || handle === null || typeof handle.readStop !== 'function' || typeof handle.reading !== 'boolean') return null;
  if (socket.destroyed) return null;
  handle.readStop();
  handle.reading = false;
  // Detached first, so destroying the old object leaves the connection open (and lets the
  // server count it as gone; the listener counts its own connections).
  (socket as unknown as { _handle: null })._handle = null;
  socket.destroy();
  return handle;
}
