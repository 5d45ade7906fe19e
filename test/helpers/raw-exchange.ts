/** Raw TCP exchanges with the router, for what a well-behaved HTTP client cannot send. */
import { once } from 'node:events';
import net from 'node:net';

/** Sends raw bytes and collects everything until the server closes or `ms` pass. */
export async function rawExchange(port: number, data: string, ms = 1_500): Promise<string> {
  return (await rawExchangeTimed(port, data, ms)).out;
}

/** Like rawExchange, and also says whether the server closed the socket, and when. */
export async function rawExchangeTimed(port: number, data: string, ms = 1_500): Promise<{ out: string; closed: boolean; elapsedMs: number }> {
  const started = Date.now();
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(data);
  let out = '';
  socket.on('data', (c: Buffer) => (out += c.toString('latin1')));
  socket.on('error', () => {});
  const closed = await Promise.race([once(socket, 'close').then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  socket.destroy();
  return { out, closed, elapsedMs: Date.now() - started };
}
