// A tiny app that says which revision it is: the sample tenant app for demos and `switchyard up`.
// Usage: node examples/hello/server.mjs --port 3001 --revision rev-1
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, revision: { type: 'string', default: 'rev-1' }, host: { type: 'string', default: '127.0.0.1' } } });
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok\n');
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`hello from ${values.revision} (pid ${process.pid}) you asked for ${req.url}\n`);
});
server.listen(Number(values.port), values.host, () => {
  console.log(JSON.stringify({ revision: values.revision, port: server.address().port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
