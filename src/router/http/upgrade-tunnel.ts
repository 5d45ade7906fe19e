/**
 * After a successful upgrade (101 Switching Protocols, e.g. WebSocket) the router stops speaking
 * HTTP on both connections and copies bytes both ways with backpressure until either side ends.
 */
import type net from 'node:net';

export function startTunnel(downstream: net.Socket, downstreamRemainder: Buffer | null, upstream: net.Socket, upstreamRemainder: Buffer | null): void {
  if (upstreamRemainder !== null && upstreamRemainder.length > 0) downstream.write(upstreamRemainder);
  if (downstreamRemainder !== null && downstreamRemainder.length > 0) upstream.write(downstreamRemainder);
  downstream.pipe(upstream);
  upstream.pipe(downstream);
  downstream.resume();
  upstream.resume();
  const closeBoth = (): void => {
    downstream.destroy();
    upstream.destroy();
  };
  downstream.once('close', closeBoth);
  upstream.once('close', closeBoth);
  downstream.on('error', closeBoth);
  upstream.on('error', closeBoth);
}
