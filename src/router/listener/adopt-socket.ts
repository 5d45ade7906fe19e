/**
 * Moves an accepted connection onto a socket that reads into one shared buffer (`onread`).
 *
 * Node offers `onread` to sockets it connects, not to those a server accepts; those read through
 * Readable, with a fresh malloc'd ArrayBuffer and a nextTick per read. Under load those buffers
 * are half of every scavenge's pause (freeing a few thousand of them each time) and the path
 * costs ~15% of the worker's user CPU (BENCHMARKS.md). So the HTTP/1 codec, which parses each
 * read synchronously and copies what it keeps, takes the accepted socket's handle into a
 * `new net.Socket({ handle, onread })`, as Node's own server builds its sockets.
 *
 * This leans on two undocumented details of net.Socket, `_handle` and the handle's `reading`
 * flag; when they are not there (another runtime, a TLS socket) the caller keeps the socket.
 */
import net from 'node:net';

interface StreamHandle {
  reading: boolean;
  readStop(): number;
}

/**
 * Returns a socket on `socket`'s handle whose reads go to `onRead` (a view of `buffer`, valid
 * during the call), or null to keep `socket` as it is. `socket` must be paused with nothing
 * buffered; it is destroyed without closing the connection.
 */
export function adoptWithSharedReads(socket: net.Socket, buffer: Buffer, onRead: (data: Buffer) => void): net.Socket | null {
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  if (handle === undefined || handle === null || typeof handle.readStop !== 'function' || typeof handle.reading !== 'boolean') return null;
  if (socket.readableLength > 0 || socket.destroyed) return null;
  handle.readStop();
  handle.reading = false;
  // Detached first, so destroying the old object leaves the connection open (and lets the
  // server count it as gone; the listener counts its own connections).
  (socket as unknown as { _handle: null })._handle = null;
  socket.destroy();
  const options = {
    handle,
    allowHalfOpen: socket.allowHalfOpen,
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
