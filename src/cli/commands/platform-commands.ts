/**
 * The platform CLI (`switchyard services|deploy|traffic|xds`): thin clients of the REST API.
 * Human tables by default, `--json` prints the API's answer as it is for scripts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ApiClient, CliError, DEFAULT_API_URL, listOf } from '../api-client.js';
import { renderTable } from '../table.js';

interface ServiceView {
  readonly id: string;
  readonly name: string;
  readonly tenant?: string;
  readonly region?: string;
  readonly url: string;
  readonly status: string;
}
interface RevisionView {
  readonly name: string;
  readonly endpoints?: readonly { address: string; port: number }[];
  readonly createdAt?: string;
}
interface TrafficView {
  readonly targets: readonly { revision: string; percent: number; tag?: string | null }[];
}

const COMMON_OPTIONS = {
  api: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

interface Context {
  readonly api: ApiClient;
  readonly json: boolean;
  readonly out: (text: string) => void;
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError('SY_ERR_USAGE', (err as Error).message);
  }
}

function contextOf(values: { api?: string | boolean; token?: string | boolean; json?: string | boolean }, out: (t: string) => void): Context {
  const api = typeof values.api === 'string' ? values.api : (process.env.SWITCHYARD_API ?? DEFAULT_API_URL);
  const token = typeof values.token === 'string' ? values.token : (process.env.SWITCHYARD_TOKEN ?? null);
  return { api: new ApiClient(api, token), json: values.json === true, out };
}

/** A service named by id or by name (names are unique per tenant). */
async function resolveService(ctx: Context, ref: string | undefined): Promise<ServiceView> {
  if (ref === undefined) throw new CliError('SY_ERR_USAGE', 'name the service (its name or id)');
  const services = listOf<ServiceView>(await ctx.api.get('/v1/services'), 'services');
  const found = services.find((s) => s.id === ref) ?? services.filter((s) => s.name === ref);
  if (!Array.isArray(found)) return found;
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new CliError('SY_ERR_SERVICE_NOT_FOUND', `no service named or with id "${ref}"`);
  throw new CliError('SY_ERR_AMBIGUOUS', `"${ref}" names ${found.length} services (one per tenant); use the id: ${found.map((s) => s.id).join(', ')}`);
}

function printServices(ctx: Context, services: readonly ServiceView[]): void {
  ctx.out(renderTable(['ID', 'NAME', 'TENANT', 'STATUS', 'URL'], services.map((s) => [s.id, s.name, s.tenant ?? '', s.status, s.url])));
}

export async function servicesCommand(argv: readonly string[], out: (t: string) => void): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, {
    port: { type: 'string' },
    region: { type: 'string' },
    tenant: { type: 'string' },
    'health-check-path': { type: 'string' },
  });
  const ctx = contextOf(values, out);
  switch (sub) {
    case 'create': {
      const body: Record<string, unknown> = { name: positionals[0] };
      if (values.port !== undefined) body.port = Number(values.port);
      if (values.region !== undefined) body.region = values.region;
      if (values.tenant !== undefined) body.tenant = values.tenant;
      if (values['health-check-path'] !== undefined) body.healthCheck = { protocol: 'HTTP', path: values['health-check-path'] };
      const created = await ctx.api.post<ServiceView>('/v1/services', body);
      if (ctx.json) return out(JSON.stringify(created, null, 2) + '\n');
      out(`created service ${created.name} (${created.id})\n  url: ${created.url}\nnext: switchyard deploy ${created.name} --endpoint 127.0.0.1:PORT\n`);
      return;
    }
    case 'list':
    case undefined: {
      const body = await ctx.api.get('/v1/services');
      if (ctx.json) return out(JSON.stringify(body, null, 2) + '\n');
      printServices(ctx, listOf<ServiceView>(body, 'services'));
      return;
    }
    case 'get': {
      const service = await resolveService(ctx, positionals[0]);
      const [full, revisions, traffic] = await Promise.all([
        ctx.api.get<Record<string, unknown>>(`/v1/services/${service.id}`),
        ctx.api.get(`/v1/services/${service.id}/revisions`),
        ctx.api.get<TrafficView>(`/v1/services/${service.id}/traffic`),
      ]);
      if (ctx.json) return out(JSON.stringify({ ...full, revisions: listOf(revisions, 'revisions'), traffic }, null, 2) + '\n');
      printServices(ctx, [service]);
      out('\n' + renderTable(['REVISION', 'ENDPOINTS'], listOf<RevisionView>(revisions, 'revisions').map((r) => [r.name, (r.endpoints ?? []).map((e) => `${e.address}:${e.port}`).join(' ')])));
      out('\n' + trafficTable(traffic));
      return;
    }
    case 'delete': {
      const service = await resolveService(ctx, positionals[0]);
      await ctx.api.delete(`/v1/services/${service.id}`);
      out(ctx.json ? JSON.stringify({ deleted: service.id }) + '\n' : `deleted service ${service.name} (${service.id})\n`);
      return;
    }
    default:
      throw new CliError('SY_ERR_USAGE', `unknown services command "${sub}" (create, list, get, delete)`);
  }
}

export async function deployCommand(argv: readonly string[], out: (t: string) => void): Promise<void> {
  const { values, positionals } = parse(argv, { endpoint: { type: 'string', multiple: true } });
  const ctx = contextOf(values, out);
  const service = await resolveService(ctx, positionals[0]);
  const endpoints = (values.endpoint ?? []).map(parseEndpoint);
  if (endpoints.length === 0) throw new CliError('SY_ERR_USAGE', 'give at least one --endpoint host:port');
  const revision = await ctx.api.post<RevisionView>(`/v1/services/${service.id}/revisions`, { endpoints });
  if (ctx.json) return out(JSON.stringify(revision, null, 2) + '\n');
  out(`deployed ${service.name} ${revision.name} → ${endpoints.map((e) => `${e.address}:${e.port}`).join(', ')}\n`);
}

export async function trafficCommand(argv: readonly string[], out: (t: string) => void): Promise<void> {
  const { values, positionals } = parse(argv, { tag: { type: 'string', multiple: true } });
  const ctx = contextOf(values, out);
  const service = await resolveService(ctx, positionals[0]);
  const assignments = positionals.slice(1);
  let traffic: TrafficView;
  if (assignments.length === 0 && (values.tag ?? []).length === 0) {
    traffic = await ctx.api.get<TrafficView>(`/v1/services/${service.id}/traffic`);
  } else {
    const tags = new Map<string, string>();
    for (const t of values.tag ?? []) {
      const [revision, tag] = splitPair(t, '--tag');
      tags.set(revision, tag);
    }
    const targets = assignments.map((a) => {
      const [revision, percent] = splitPair(a, 'a traffic target');
      if (!/^\d+$/.test(percent)) throw new CliError('SY_ERR_USAGE', `"${a}": the percent must be a whole number`);
      return { revision, percent: Number(percent), ...(tags.has(revision) ? { tag: tags.get(revision) } : {}) };
    });
    for (const [revision, tag] of tags) if (!targets.some((t) => t.revision === revision)) targets.push({ revision, percent: 0, tag });
    traffic = await ctx.api.put<TrafficView>(`/v1/services/${service.id}/traffic`, { targets });
  }
  if (ctx.json) return out(JSON.stringify(traffic, null, 2) + '\n');
  out(trafficTable(traffic));
}

export async function xdsCommand(argv: readonly string[], out: (t: string) => void): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'clients') throw new CliError('SY_ERR_USAGE', 'usage: switchyard xds clients [--json]');
  const { values } = parse(rest, {});
  const ctx = contextOf(values, out);
  const body = await ctx.api.get('/v1/xds/clients');
  if (ctx.json) return out(JSON.stringify(body, null, 2) + '\n');
  const clients = listOf<XdsClientView>(body, 'clients');
  out(
    renderTable(
      ['NODE', 'REGION', 'STREAM', 'ACKED (LDS/RDS/CDS/EDS)', 'LAST NACK'],
      clients.map((c) => [c.nodeId, c.region ?? c.group ?? '', c.streamKind ?? '', ackedSummary(c), lastNack(c)]),
    ),
  );
}

/** `switchyard events [SERVICE]`: follows GET /v1/events (SSE) and prints one line per event until Ctrl-C. */
export async function eventsCommand(argv: readonly string[], out: (t: string) => void): Promise<void> {
  const { values, positionals } = parse(argv, {});
  const ctx = contextOf(values, out);
  const service = positionals[0] === undefined ? null : await resolveService(ctx, positionals[0]);
  const path = service === null ? '/v1/events' : `/v1/events?service=${encodeURIComponent(service.id)}`;
  for await (const event of ctx.api.stream(path)) {
    const e = event as { at: string; type: string; serviceId: string | null; data: Record<string, unknown> };
    out(ctx.json ? JSON.stringify(e) + '\n' : `${e.at}  ${e.type.padEnd(18)} ${e.serviceId ?? '-'}  ${JSON.stringify(e.data)}\n`);
  }
}

interface XdsTypeStatus {
  readonly ackedVersion?: string | null;
  readonly lastNack?: { version?: string; message?: string } | null;
}
interface XdsClientView {
  readonly nodeId: string;
  readonly region?: string;
  readonly group?: string;
  readonly streamKind?: string;
  readonly types?: Readonly<Record<string, XdsTypeStatus>>;
}

const TYPE_ORDER = ['Listener', 'RouteConfiguration', 'Cluster', 'ClusterLoadAssignment'];

function ackedSummary(c: XdsClientView): string {
  const byShort = new Map<string, XdsTypeStatus>();
  for (const [url, s] of Object.entries(c.types ?? {})) byShort.set(url.slice(url.lastIndexOf('.') + 1), s);
  return TYPE_ORDER.map((t) => byShort.get(t)?.ackedVersion ?? '-').join('/');
}

function lastNack(c: XdsClientView): string {
  for (const [url, s] of Object.entries(c.types ?? {})) {
    if (s.lastNack) return `${url.slice(url.lastIndexOf('.') + 1)} v${s.lastNack.version ?? '?'}: ${(s.lastNack.message ?? '').split('\n')[0].slice(0, 80)}`;
  }
  return '';
}

function trafficTable(traffic: TrafficView): string {
  return renderTable(['REVISION', 'PERCENT', 'TAG'], traffic.targets.map((t) => [t.revision, `${t.percent}%`, t.tag ?? '']));
}

function parseEndpoint(text: string): { address: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(text);
  if (m === null) throw new CliError('SY_ERR_USAGE', `--endpoint "${text}" must be host:port`);
  return { address: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

function splitPair(text: string, what: string): [string, string] {
  const i = text.indexOf('=');
  if (i <= 0 || i === text.length - 1) throw new CliError('SY_ERR_USAGE', `${what} "${text}" must be name=value`);
  return [text.slice(0, i), text.slice(i + 1)];
}
