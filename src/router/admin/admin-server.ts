/**
 * The router's admin interface on `admin.address` (Envoy's admin server), served by the primary:
 * /ready, /stats (text, ?format=json, ?format=prometheus, ?filter=, ?usedonly), /stats/prometheus,
 * /clusters (text or ?format=json), /config_dump, /listeners, /server_info.
 * Stats and host status are gathered from every worker at request time, so a test that sent N
 * requests and then reads /stats sees exactly N.
 * https://www.envoyproxy.io/docs/envoy/latest/operations/admin
 */
import http from 'node:http';
import type { SocketAddress } from '../../xds/resources/common.types.js';
import type { MergedStats } from '../stats/merged-stats.js';
import { renderJson, renderPrometheus, renderText } from '../stats/render.js';
import type { WorkerPool } from '../worker/worker-pool.js';
import { renderClustersJson, renderClustersText } from './clusters-view.js';

export interface AdminContext {
  readonly pool: WorkerPool;
  readonly stats: MergedStats;
  /** Refreshes `stats` from the workers (and the primary's own gauges). */
  refreshStats(): Promise<void>;
  /** Envoy-style config dump of what the router currently serves. */
  configDump(): unknown;
  readonly startedAtMs: number;
  readonly concurrency: number;
}

export class AdminServer {
  private readonly server: http.Server;

  constructor(private readonly ctx: AdminContext) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  listen(address: SocketAddress): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(address.port, address.host, () => {
        const bound = this.server.address();
        resolve(typeof bound === 'object' && bound !== null ? bound.port : address.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://admin');
    const q = url.searchParams;
    const ctx = this.ctx;
    switch (url.pathname) {
      case '/ready': {
        const ready = ctx.pool.ready;
        return send(res, ready ? 200 : 503, 'text/plain', ready ? 'LIVE\n' : 'PRE_INITIALIZING\n');
      }
      case '/stats': {
        await ctx.refreshStats();
        const options = { filter: q.get('filter'), usedOnly: q.has('usedonly') };
        const format = q.get('format');
        if (format === 'json') return send(res, 200, 'application/json', renderJson(ctx.stats, options));
        if (format === 'prometheus') return send(res, 200, 'text/plain; version=0.0.4', renderPrometheus(ctx.stats, options));
        return send(res, 200, 'text/plain', renderText(ctx.stats, options));
      }
      case '/stats/prometheus': {
        await ctx.refreshStats();
        return send(res, 200, 'text/plain; version=0.0.4', renderPrometheus(ctx.stats, { filter: q.get('filter'), usedOnly: q.has('usedonly') }));
      }
      case '/clusters': {
        const perWorker = await ctx.pool.gatherClusters();
        if (q.get('format') === 'json') return send(res, 200, 'application/json', renderClustersJson(perWorker));
        return send(res, 200, 'text/plain', renderClustersText(perWorker));
      }
      case '/config_dump':
        return send(res, 200, 'application/json', JSON.stringify(ctx.configDump(), bufferReplacer, 2));
      case '/listeners': {
        const ports = Object.fromEntries(ctx.pool.listenerPorts);
        if (q.get('format') === 'json') return send(res, 200, 'application/json', JSON.stringify({ listener_statuses: Object.entries(ports).map(([name, port]) => ({ name, local_address: { socket_address: { port_value: port } } })) }));
        return send(res, 200, 'text/plain', Object.entries(ports).map(([name, port]) => `${name}::${port}`).join('\n') + '\n');
      }
      case '/server_info':
        return send(
          res,
          200,
          'application/json',
          JSON.stringify({
            version: 'switchyard/0.1.0',
            state: ctx.pool.ready ? 'LIVE' : 'PRE_INITIALIZING',
            uptime_current_epoch: `${Math.round((Date.now() - ctx.startedAtMs) / 1000)}s`,
            command_line_options: { concurrency: ctx.concurrency },
          }),
        );
      case '/':
        return send(res, 200, 'text/plain', ['/ready', '/stats', '/stats/prometheus', '/clusters', '/config_dump', '/listeners', '/server_info'].join('\n') + '\n');
      default:
        return send(res, 404, 'text/plain', 'invalid path\n');
    }
  }
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-cache, max-age=0' });
  res.end(body);
}

function bufferReplacer(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') return '<bytes>';
  return value;
}
