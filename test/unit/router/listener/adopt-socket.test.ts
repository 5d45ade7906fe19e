import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import { adoptWithSharedReads } from '../../../../src/router/listener/adopt-socket.js';

/** An accepted server socket (paused, nothing read yet) and the client connected to it. */
async function acceptedPair(): Promise<{ server: net.Server; accepted: net.Socket; client: net.Socket }> {
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const [accepted] = (await once(server, 'connection')) as [net.Socket];
  return { server, accepted, client };
}

test('an adopted socket reads into the shared buffer and keeps the connection', async () => {
  const { server, accepted, client } = await acceptedPair();
  const shared = Buffer.alloc(16);
  const reads: string[] = [];
  const adopted = adoptWithSharedReads(accepted, shared, (data) => {
    assert.equal(data.buffer, shared.buffer, 'a view of the shared buffer');
    reads.push(data.toString());
    if (reads.join('').length >= 10) adopted!.write('pong');
  });
  assert.ok(adopted !== null);
  assert.ok(accepted.destroyed, 'the old socket object is gone');
  client.write('ping-');
  setTimeout(() => client.write('ping!'), 20);
  const [answer] = (await once(client, 'data')) as [Buffer];
  assert.equal(answer.toString(), 'pong');
  assert.equal(reads.join(''), 'ping-ping!');
  client.end();
  await once(adopted!, 'end');
  adopted!.end();
  await once(client, 'close');
  server.close();
});

test('a socket with bytes already buffered is left as it is', async () => {
  const { server, accepted, client } = await acceptedPair();
  client.write('early');
  accepted.resume();
  await once(accepted, 'readable').catch(() => undefined);
  accepted.pause();
  accepted.unshift(Buffer.from('x'));
  assert.equal(adoptWithSharedReads(accepted, Buffer.alloc(16), () => undefined), null);
  assert.ok(!accepted.destroyed);
  accepted.destroy();
  client.destroy();
  server.close();
});
