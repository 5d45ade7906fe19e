/**
 * After a successful upgrade (101 Switching Protocols, e.g. WebSocket) the router stops speaking
 * HTTP on both connections and copies bytes both ways with backpressure until either side ends.
 * The upstream socket reads with `onread` (no 'data' events), so that direction is forwarded by
 * the upstream connection itself instead of pipe().
 */
import type net from 'node:net';

/** One end of a tunnel: its socket, and a way to send every read it gets to a peer. */
export interface TunnelEnd {
  readonly socket: net.Socket;
  forwardReadsTo(peer: net.Socket): void;
}

/** The upstream end of a tunnel. */
export type UpstreamTunnelEnd = TunnelEnd;

/** The end of a socket that reads through Readable: piped, with pipe's backpressure and EOF. */
export function pipedTunnelEnd(socket: net.Socket): TunnelEnd {
  return {
    socket,
    forwardReadsTo: (peer) => {
      socket.pipe(peer);
      socket.resume();
    },
  };
}

export function startTunnel(downstreamEnd: TunnelEnd, downstreamRemainder: Buffer | null, upstream: UpstreamTunnelEnd, upstreamRemainder: Buffer | null): void {
  const downstream = downstreamEnd.socket;
  const upstreamSocket = upstream.socket;
  if (upstreamRemainder !== null && upstreamRemainder.length > 0) downstream.write(upstreamRemainder);
  if (downstreamRemainder !== null && downstreamRemainder.length > 0) upstreamSocket.write(downstreamRemainder);
  downstreamEnd.forwardReadsTo(upstreamSocket);
  upstream.forwardReadsTo(downstream);
  const closeBoth = (): void => {
    downstream.destroy();
    upstreamSocket.destroy();
  };
  downstream.once('close', closeBoth);
  upstreamSocket.once('close', closeBoth);
  downstream.on('error', closeBoth);
  upstreamSocket.on('error', closeBoth);
}
