/** Starts our real XdsServer on 127.0.0.1:0 for a test and registers its cleanup. */
import type { TestContext } from 'node:test';
import { Logger } from '../../../src/common/logger.js';
import { buildSnapshot, type SnapshotOptions, type SnapshotResources } from '../../../src/control-plane/xds-server/cache/resource-snapshot.js';
import { SnapshotCache } from '../../../src/control-plane/xds-server/cache/snapshot-cache.js';
import { XdsServer } from '../../../src/control-plane/xds-server/server/xds-server.js';
import type { NodeGroupFn } from '../../../src/control-plane/xds-server/server/node-group.js';

export interface RunningXdsServer {
  cache: SnapshotCache;
  server: XdsServer;
  port: number;
  /** buildSnapshot + setSnapshot, failing the test on a rejected snapshot. `namedOnly` is buildSnapshot's option. */
  publish(version: string, resources: SnapshotResources & SnapshotOptions, group?: string): void;
}

export async function startXdsServer(t: TestContext, opts: { defaultGroup?: string; nodeGroup?: NodeGroupFn } = {}): Promise<RunningXdsServer> {
  const cache = new SnapshotCache();
  const server = new XdsServer({ cache, defaultGroup: opts.defaultGroup ?? 'local', nodeGroup: opts.nodeGroup, logger: new Logger('xds-server', 'error') });
  const port = await server.listen(0);
  t.after(() => server.close());
  return {
    cache,
    server,
    port,
    publish(version, resources, group = opts.defaultGroup ?? 'local') {
      const result = cache.setSnapshot(group, buildSnapshot(version, resources, { namedOnly: resources.namedOnly }));
      if (!result.ok) throw new Error(`snapshot rejected: ${JSON.stringify(result.errors)}`);
    },
  };
}
