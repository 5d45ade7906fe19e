/** Operator views (admin only): connected xDS clients and the config version history. */
import { integer } from '../../model/schema.js';
import { ApiError } from '../errors.js';
import { CONFIG_VERSION_SCHEMA, listOf } from '../response-schemas.js';
import type { Route } from '../route.js';

const DEFAULT_VERSIONS_LIMIT = 50;
const MAX_VERSIONS_LIMIT = 1_000;

export const PLATFORM_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/xds/clients',
    summary: 'Connected routers: node id, region, ACKed version per type, last NACK (as the xDS server reports them).',
    access: 'admin',
    tag: 'platform',
    status: 200,
    response: listOf('clients', { description: 'One connected xDS client.' }),
    handler(ctx) {
      return { status: 200, body: { clients: ctx.xdsClients() } };
    },
  },
  {
    method: 'GET',
    path: '/v1/config-versions',
    summary: 'Published config versions, newest first: every store change is one version.',
    access: 'admin',
    tag: 'platform',
    query: [{ name: 'limit', description: `How many (1–${MAX_VERSIONS_LIMIT}, default ${DEFAULT_VERSIONS_LIMIT}).`, schema: integer(1, MAX_VERSIONS_LIMIT) }],
    status: 200,
    response: listOf('versions', CONFIG_VERSION_SCHEMA, { current: integer(0, 1e12) }),
    errors: ['SY_ERR_VALIDATION'],
    handler(ctx) {
      const raw = ctx.query.get('limit');
      let limit = DEFAULT_VERSIONS_LIMIT;
      if (raw !== null) {
        limit = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : NaN;
        if (!(limit >= 1 && limit <= MAX_VERSIONS_LIMIT)) {
          throw ApiError.validation([{ path: 'limit', message: `must be 1–${MAX_VERSIONS_LIMIT}, got ${JSON.stringify(raw)}` }]);
        }
      }
      return { status: 200, body: { current: ctx.store.configVersion(), versions: ctx.store.listConfigVersions(limit) } };
    },
  },
];
