import type net from 'node:net';
import { Buffer } from 'node:buffer';

/**
 * The tunnel side of a socket that reads into a shared buffer (`onread` emits no 'data', so it
 * cannot be piped): its owner hands each read to forward(), which sends the peer a copy (the
 * buffer is reused) and pauses the socket until the peer drains; the socket's EOF ends the peer.
 */
export class SharedReadForwarder {
  constructor(
    private readonly from: net.Socket,
    private readonly peer: net.Socket,
  ) {
    from.once('end', () => peer.end());
    from.resume();
  }

  forward(data: Buffer): void {
    if (!this.peer.write(Buffer.from(data))) {
      this.from.pause();
      this.peer.once('drain', this.resume);
    }
  }

  private readonly resume = (): void => {
    this.from.resume();
  };
}
