import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import { writeDirect } from '../../../src/common/direct-write.js';

/** A connected client socket and the server side of it, on 127.0.0.1. */
async function socketPair(): Promise<{ client: net.Socket; server: net.Socket; close(): void }> {
  const listener = net.createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const { port } = listener.address() as net.AddressInfo;
  const accepted = once(listener, 'connection');
  const client = net.connect(port, '127.0.0.1');
  await once(client, 'connect');
  const [server] = (await accepted) as [net.Socket];
  return {
    client,
    server,
    close() {
      client.destroy();
      server.destroy();
      listener.close();
    },
  };
}

function pattern(bytes: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

async function readAll(socket: net.Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'end');
  return Buffer.concat(chunks);
}

test('a direct write larger than the socket buffers completes, in order with the writes around it', async () => {
  const { client, server, close } = await socketPair();
  try {
    // The peer reads nothing at first: the 8 MiB cannot all go at once, so libuv finishes it
    // later, and the writes after it (queued by Node, or direct again) must follow it.
    server.pause();
    const first = pattern(8 << 20, 1);
    const second = pattern(1000, 2);
    const third = pattern(3 << 20, 3);
    writeDirect(client, first);
    client.write(second);
    writeDirect(client, third);
    client.write('end');
    client.end();
    const received = readAll(server);
    server.resume();
    const all = await received;
    assert.equal(all.length, first.length + second.length + third.length + 3);
    assert.ok(all.equals(Buffer.concat([first, second, third, Buffer.from('end')])), 'bytes arrived out of order or changed');
  } finally {
    close();
  }
});

test('a direct write behind bytes Node still holds goes through socket.write and keeps its place', async () => {
  const { client, server, close } = await socketPair();
  try {
    server.pause();
    const queued = pattern(6 << 20, 4);
    client.write(queued);
    assert.ok(client.writableLength > 0, 'the test needs bytes queued in the Writable');
    const after = pattern(5000, 5);
    writeDirect(client, after);
    client.end();
    const received = readAll(server);
    server.resume();
    assert.ok((await received).equals(Buffer.concat([queued, after])));
  } finally {
    close();
  }
});

test('direct writes to a connection the peer reset end with the socket destroyed by the error, never a throw', async () => {
  const { client, server, close } = await socketPair();
  try {
    server.resetAndDestroy();
    const errors: Error[] = [];
    client.on('error', (err) => errors.push(err));
    // (events.once would reject on the 'error' this test waits for.)
    const closed = new Promise((resolve) => client.once('close', resolve));
    // The first writes may still be accepted by the kernel; a bounded number gets the error.
    for (let i = 0; i < 200 && !client.destroyed; i++) {
      writeDirect(client, pattern(64 * 1024, i));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await closed;
    assert.ok(client.destroyed);
    assert.ok(errors.length > 0, 'the socket closed without an error');
    assert.match((errors[0] as NodeJS.ErrnoException).code ?? '', /^(ECONNRESET|EPIPE)$/);
  } finally {
    close();
  }
});

test('a direct write to a destroyed socket is dropped without throwing', async () => {
  const { client, close } = await socketPair();
  try {
    client.destroy();
    assert.doesNotThrow(() => writeDirect(client, Buffer.from('late')));
  } finally {
    close();
  }
});
