/**
 * TCP_NODELAY set once on the listening socket reaches every accepted socket (acceptors.ts), so
 * the HTTP/1 connection skips its own setsockopt. Node cannot read a socket option, so a python3
 * child is handed the accepted socket's descriptor and reads it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import { setNoDelayForAccepted } from '../../../../src/router/listener/acceptors.js';

const READ_NODELAY = 'import socket; s = socket.socket(fileno=3); print(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)); s.detach()';
const canRead = process.platform === 'linux' && spawnSync('python3', ['-c', 'import socket'], { stdio: 'ignore' }).status === 0;

/** TCP_NODELAY of `socket`, as the kernel has it (read by python3 on a duplicate of its descriptor). */
async function noDelayOf(socket: net.Socket): Promise<number> {
  const child = spawn('python3', ['-c', READ_NODELAY], { stdio: ['ignore', 'pipe', 'inherit', socket] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = await once(child, 'close');
  assert.equal(code, 0);
  return Number(out.trim());
}

/** The server side of one connection to a listener on 127.0.0.1, after `prepare` ran on the listening server. */
async function acceptOne(prepare: (server: net.Server) => void): Promise<number> {
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  prepare(server);
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const [accepted] = (await once(server, 'connection')) as [net.Socket];
  try {
    return await noDelayOf(accepted);
  } finally {
    client.destroy();
    accepted.destroy();
    server.close();
  }
}

test('accepted sockets start with TCP_NODELAY when the listener has it, and only then', { skip: canRead ? false : 'needs Linux and python3' }, async () => {
  let set = false;
  assert.equal(await acceptOne((server) => (set = setNoDelayForAccepted(server))), 1);
  assert.equal(set, true);
  assert.equal(await acceptOne(() => {}), 0, 'the kernel default, which the first case changed');
});
