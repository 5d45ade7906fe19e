import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { encodeMessage } from '../../../../src/xds/any.js';
import { ConfigCache } from '../../../../src/router/config/config-cache.js';
import { ResourceStore } from '../../../../src/router/xds-client/resource-store.js';
import { CLUSTER_TYPE, LISTENER_TYPE, decodeProto, type ResourceType } from '../../../../src/router/xds-client/resource-types.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { xdsEdsCluster, xdsListener } from '../../../helpers/xds-resources.js';

function put(store: ResourceStore, type: ResourceType, typeName: string, proto: ProtoObject, version: string): void {
  const { '@type': _t, ...fields } = proto;
  const raw = encodeMessage(typeName, fields);
  const d = decodeProto(type, proto, '');
  assert.ok(d.ok);
  store.upsert(type.kind, [{ name: d.value.name, version, value: d.value.value, resource: d.value, raw, updatedAtMs: 0 }]);
  store.setVersion(type.kind, version);
}

async function tmpPath(): Promise<string> {
  return path.join(await mkdtemp(path.join(os.tmpdir(), 'sy-cache-')), 'nested', 'cache.json');
}

test('a saved store loads back through the decoders, with versions', async () => {
  const file = await tmpPath();
  const store = new ResourceStore();
  put(store, CLUSTER_TYPE, 'envoy.config.cluster.v3.Cluster', xdsEdsCluster('c1', { connect_timeout: { seconds: 3, nanos: 0 } }), '5');
  put(store, LISTENER_TYPE, 'envoy.config.listener.v3.Listener', xdsListener('l1', 8080, 'r1'), '6');
  const cache = new ConfigCache(file);
  cache.scheduleSave(store);
  await cache.flush(store);
  assert.deepEqual(await readdir(path.dirname(file)), ['cache.json'], 'no temp file left behind (write + rename)');

  const loaded = new ResourceStore();
  assert.equal(await new ConfigCache(file).load(loaded), 2);
  assert.equal(loaded.versionOf('cds'), '5');
  assert.equal(loaded.versionOf('lds'), '6');
  assert.equal((loaded.get('cds', 'c1')!.value as { connectTimeoutMs: number }).connectTimeoutMs, 3000);
  assert.equal(loaded.get('lds', 'l1')!.version, '6');
});

test('no file loads nothing; a damaged file loads nothing; a damaged resource is skipped', async () => {
  const file = await tmpPath();
  assert.equal(await new ConfigCache(file).load(new ResourceStore()), 0);
  const dir = path.dirname(path.dirname(file));
  const damaged = path.join(dir, 'damaged.json');
  await writeFile(damaged, '{"format": "switchyard.config-cache.v1", "types": ');
  assert.equal(await new ConfigCache(damaged).load(new ResourceStore()), 0);

  const store = new ResourceStore();
  put(store, CLUSTER_TYPE, 'envoy.config.cluster.v3.Cluster', xdsEdsCluster('good'), '1');
  const cache = new ConfigCache(file);
  cache.scheduleSave(store);
  await cache.flush(store);
  const doc = JSON.parse(await readFile(file, 'utf8'));
  doc.types.cds.resources.push({ name: 'bad', version: '1', typeUrl: CLUSTER_TYPE.typeUrl, value: Buffer.from([0xff, 0xff]).toString('base64') });
  await writeFile(file, JSON.stringify(doc));
  const loaded = new ResourceStore();
  assert.equal(await new ConfigCache(file).load(loaded), 1);
  assert.deepEqual(loaded.names('cds'), ['good']);
});
