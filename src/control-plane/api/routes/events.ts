/**
 * GET /v1/events: the platform's event stream as Server-Sent Events (DESIGN §7): deploys, traffic
 * changes, published or rejected configs, routers connecting and NACKing. `?service=<id>` keeps one
 * service's events; a tenant token must name one of its own services (another tenant's is 404).
 * A reconnecting client sends Last-Event-ID (or `?after=`) and gets what it missed that is still in
 * the bus's history, then the live stream. A comment line every 15 s keeps proxies from timing out.
 */
import { string } from '../../model/schema.js';
import { ApiError } from '../errors.js';
import type { RequestContext, Route, StreamedEvent, StreamingResponse } from '../route.js';
import { serviceFor } from '../service-access.js';

const HEARTBEAT_MS = 15_000;

export const EVENT_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/events',
    summary: 'Server-Sent Events: deploy, traffic, config and router (xDS ACK/NACK) events; ?service= for one service.',
    access: 'tenant',
    tag: 'platform',
    query: [
      { name: 'service', description: 'Only this service’s events (required for a tenant token).', schema: string({ minLength: 1, maxLength: 64 }) },
      { name: 'after', description: 'Replay kept events with a larger id (like Last-Event-ID).', schema: string({ pattern: '^[0-9]{1,15}$' }) },
    ],
    status: 200,
    streams: 'text/event-stream',
    errors: ['SY_ERR_SERVICE_NOT_FOUND', 'SY_ERR_VALIDATION', 'SY_ERR_UNAVAILABLE', 'SY_ERR_NOT_ACCEPTABLE'],
    handler(ctx) {
      const events = ctx.events;
      if (events?.subscribe === undefined || events.recent === undefined) throw new ApiError('SY_ERR_UNAVAILABLE', 'this control plane has no event stream');
      const serviceId = scopedService(ctx);
      const afterText = ctx.query.get('after') ?? '';
      if (afterText !== '' && !/^[0-9]{1,15}$/.test(afterText)) throw ApiError.validation([{ path: 'after', message: `must be an event id, got ${JSON.stringify(afterText)}` }]);
      const after = afterText === '' ? 0 : Number(afterText);
      const { subscribe, recent } = { subscribe: events.subscribe.bind(events), recent: events.recent.bind(events) };
      return { status: 200, stream: (res) => streamEvents(res, serviceId, after, subscribe, recent) };
    },
  },
];

/** The service filter: any (admin without ?service), else a service the caller may see. */
function scopedService(ctx: RequestContext): string | null {
  const id = ctx.query.get('service');
  if (id === null || id === '') {
    if (ctx.principal.kind === 'tenant') throw ApiError.validation([{ path: 'service', message: 'a tenant token must name one of its services' }]);
    return null;
  }
  return serviceFor({ ...ctx, params: { ...ctx.params, id } }).id;
}

function streamEvents(
  res: StreamingResponse,
  serviceId: string | null,
  after: number,
  subscribe: (l: (e: StreamedEvent) => void) => () => void,
  recent: (afterId: number, serviceId: string | null) => readonly StreamedEvent[],
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': switchyard events\n\n');
  for (const e of recent(after, serviceId)) res.write(frame(e));
  const unsubscribe = subscribe((e) => {
    if (serviceId === null || e.serviceId === serviceId) res.write(frame(e));
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  res.once('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}

function frame(e: StreamedEvent): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}
