// What one Connection: close client costs a Node.js server, by the way it holds the connection
// (BENCHMARKS.md, 2026-12-04): `net` is net.createServer and socket.end(response); `onread` a
// net.Socket made on the accepted handle with an onread buffer (as the router's HTTP/1 listener
// does, here after Node's server made its own socket first); `raw` the TCP handle alone
// (readStart into one buffer, writeBuffer, shutdown, close), with no net.Socket at all.
//
//   taskset -c 1 node bench/accept-paths.mjs raw 8090 &
//   taskset -c 0 wrk -t1 -c50 -d6s -H 'Connection: close' http://127.0.0.1:8090/
//
// Each answers the first read of a connection with a fixed 200 and closes; CPU time of the
// server per request (from /proc/PID/stat) is the figure to compare, wrk may be the bottleneck.
import { Buffer } from 'node:buffer';
import net from 'node:net';
const mode = process.argv[2], port = Number(process.argv[3]);
if (!['net', 'onread', 'raw'].includes(mode) || !(port > 0)) {
  console.error('usage: node bench/accept-paths.mjs net|onread|raw PORT');
  process.exit(2);
}
const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\nhello\n', 'latin1');
if (mode === 'net') {
  net.createServer((s) => {
    s.on('data', () => s.end(RESPONSE));
    s.on('error', () => {});
  }).listen(port, '127.0.0.1', 511);
} else if (mode === 'onread') { // what the router does: a net.Socket on the accepted handle, reading into one buffer
  const shared = Buffer.alloc(65536);
  net.createServer({ pauseOnConnect: true }, (s0) => {
    const h = s0._handle; h.readStop(); h.reading = false; s0._handle = null; s0.destroy();
    const s = new net.Socket({ handle: h, allowHalfOpen: false, onread: { buffer: shared, callback: () => { s.end(RESPONSE); return true; } } });
    s.on('error', () => {});
    s.resume();
  }).listen(port, '127.0.0.1', 511);
} else { // raw
  const { TCP, constants } = process.binding('tcp_wrap');
  const { WriteWrap, ShutdownWrap, streamBaseState, kReadBytesOrError } = process.binding('stream_wrap');
  const UV_EOF = -4095;
  const shared = Buffer.alloc(65536);
  const server = new TCP(constants.SERVER);
  if (server.bind('127.0.0.1', port) !== 0 || server.listen(511) !== 0) throw new Error('listen failed');
  function afterShutdown() {}
  function afterWrite() {}
  function onread() {
    const nread = streamBaseState[kReadBytesOrError];
    const h = this;
    if (nread > 0) {
      if (h.answered) return;
      h.answered = true;
      const w = new WriteWrap(); w.handle = h; w.oncomplete = afterWrite;
      if (h.writeBuffer(w, RESPONSE) !== 0) { h.close(); return; }
      const sd = new ShutdownWrap(); sd.handle = h; sd.oncomplete = afterShutdown;
      h.shutdown(sd);
    } else if (nread < 0) {
      h.readStop();
      h.close();
    }
  }
  server.onconnection = (err, client) => {
    if (err) return;
    client.answered = false;
    client.onread = onread;
    client.useUserBuffer(shared);
    client.readStart();
  };
}
console.log('listening', mode, port);
