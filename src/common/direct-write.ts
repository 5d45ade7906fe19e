/**
 * A whole buffer handed straight to a socket's libuv handle, as net.Socket's own write path
 * finally does, without the Writable layer above it.
 *
 * Each socket.write() of a proxied request goes through Writable (state checks, length
 * accounting), Socket._writeGeneric, a WriteWrap, and a nextTick for its after-write callback;
 * with two writes per proxied request that layer is a few percent of a worker (BENCHMARKS.md).
 * The batched writes (common/write-batch.ts) are whole heads written when nothing else is queued,
 * which is the case this covers; anything else takes socket.write().
 *
 * Order is kept because both paths end in the same libuv write queue: libuv tries a write at once
 * only when its queue is empty, so a write that went asynchronous here is followed by Node's
 * next one, and Node's queued bytes (writableLength > 0) send us to socket.write(). Like
 * adopt-socket.ts this leans on Node internals (`_handle`, the stream_wrap binding's WriteWrap
 * and shared state); where they are missing every write takes socket.write().
 */
import type net from 'node:net';
import { getSystemErrorName } from 'node:util';

/** A WriteWrap: the handle calls `oncomplete` when an asynchronous write finishes. */
interface WriteRequest {
  oncomplete: (this: WriteRequest, status: number) => void;
  /** Kept alive while the write is in flight. */
  buffer: Buffer | null;
  /** The socket to destroy if the write fails; null for a write done at once. */
  socket: net.Socket | null;
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteRequest;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

interface StreamHandle {
  writeBuffer(req: WriteRequest, data: Buffer): number;
}

const binding = loadStreamWrap();

function loadStreamWrap(): StreamWrapBinding | null {
  try {
    const b = (process as unknown as { binding(name: string): Partial<StreamWrapBinding> }).binding('stream_wrap');
    if (typeof b.WriteWrap !== 'function' || !(b.streamBaseState instanceof Int32Array) || typeof b.kLastWriteWasAsync !== 'number') return null;
    return b as StreamWrapBinding;
  } catch {
    return null;
  }
}

function onWriteComplete(this: WriteRequest, status: number): void {
  const socket = this.socket;
  this.buffer = null;
  this.socket = null;
  if (status < 0 && socket !== null && !socket.destroyed) socket.destroy(writeError(status));
}

/**
 * Writes all of `data` to `socket` (which must stay unchanged until written: a fresh buffer);
 * nothing when the socket is destroyed. A write error destroys the socket with it, as Node's own
 * path does. The socket's `writableLength` does not count a direct write the kernel has not
 * taken yet.
 */
export function writeDirect(socket: net.Socket, data: Buffer): void {
  if (socket.destroyed) return;
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  if (binding === null || handle == null || socket.writableLength !== 0 || socket.connecting || socket.writableEnded) {
    socket.write(data);
    return;
  }
  // A write the kernel takes whole never uses its request object (StreamBase tries the write
  // first), so one is reused until a write goes asynchronous and keeps it.
  const req = spareRequest ?? newRequest(binding);
  spareRequest = null;
  const err = handle.writeBuffer(req, data);
  if (err !== 0) {
    socket.destroy(writeError(err)); // not reused: a failed asynchronous write may have bound it
  } else if (binding.streamBaseState[binding.kLastWriteWasAsync] !== 0) {
    // The kernel took part of it: libuv writes the rest, and the buffer must live until then.
    req.buffer = data;
    req.socket = socket;
  } else {
    spareRequest = req;
  }
}

/** A request object no write in flight holds. */
let spareRequest: WriteRequest | null = null;

function newRequest(b: StreamWrapBinding): WriteRequest {
  const req = new b.WriteWrap();
  req.oncomplete = onWriteComplete;
  req.buffer = null;
  req.socket = null;
  return req;
}

function writeError(code: number): Error {
  const name = getSystemErrorName(code);
  const err = new Error(`write ${name}`) as NodeJS.ErrnoException;
  err.errno = code;
  err.code = name;
  err.syscall = 'write';
  return err;
}
