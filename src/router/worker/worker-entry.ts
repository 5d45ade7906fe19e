/**
 * Entry point of a router worker process (forked by the primary through node:cluster).
 * Signals are the primary's business: it sends 'drain' to every worker on SIGTERM.
 */
import type net from 'node:net';
import { Logger } from '../../common/logger.js';
import type { PrimaryToWorker, WorkerToPrimary } from './messages.js';
import { RouterWorker } from './worker.js';

const log = new Logger('worker');
const worker = new RouterWorker((message: WorkerToPrimary, handle?: object) => {
  if (process.connected) process.send!(message, handle as net.Server | undefined);
});
process.on('message', (message: PrimaryToWorker, handle: unknown) => worker.handle(message, handle));
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));
// A bug on one request must not take every other request on this worker down with it.
process.on('uncaughtException', (err) => log.error('uncaught exception', { error: err.stack ?? String(err) }));
// Only now can this process hear the primary: node:cluster's 'online' fires before an ES module
// entry has run, and a message that arrives with no 'message' listener is dropped.
process.send!({ type: 'started' } satisfies WorkerToPrimary);
