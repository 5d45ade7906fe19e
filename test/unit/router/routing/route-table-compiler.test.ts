import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RouteTableCompiler } from '../../../../src/router/routing/route-table-compiler.js';
import { decodeRouteConfiguration } from '../../../../src/xds/resources/route-configuration.js';
import type { RouteConfiguration, VirtualHost } from '../../../../src/xds/resources/route-configuration.types.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';

function routes(names: string[], extra: ProtoObject = {}): RouteConfiguration {
  const d = decodeRouteConfiguration(
    { name: 'ingress', virtual_hosts: names.map((n) => ({ name: n, domains: [`${n}.example`], routes: [{ match: { prefix: '/' }, route: { cluster: n } }] })), ...extra },
    '',
  );
  assert.ok(d.ok, JSON.stringify(!d.ok && d.errors));
  return d.value;
}

const options = { listenerPort: 8080, stripMatchingHostPort: false, stripAnyHostPort: false, stripTrailingHostDot: false };
const base = routes(['a', 'b', 'c']);
const [va, , vc] = base.virtualHosts;
const vb2 = routes(['b2']).virtualHosts[0];
const withHosts = (rc: RouteConfiguration, virtualHosts: readonly VirtualHost[]): RouteConfiguration => ({ ...rc, virtualHosts });

test('an unchanged virtual host is reused by identity, a changed one is compiled anew, a removed one is gone', () => {
  const compiler = new RouteTableCompiler();
  const first = compiler.compile(base, options);
  const second = compiler.compile(withHosts(base, [va, vb2]), options);
  assert.equal(second.virtualHosts[0], first.virtualHosts[0], 'a: reused');
  assert.notEqual(second.virtualHosts[1], first.virtualHosts[1]);
  assert.equal(second.virtualHosts[1].name, 'b2');
  assert.equal(second.selectVirtualHost('b2.example')?.name, 'b2');
  assert.equal(second.selectVirtualHost('b.example'), null, 'b left the table');
  assert.equal(second.selectVirtualHost('c.example'), null, 'c removed');
  const third = compiler.compile(withHosts(base, [va, vb2, vc]), options);
  assert.equal(third.virtualHosts[1], second.virtualHosts[1], 'b2: reused from the previous compile');
  assert.notEqual(third.virtualHosts[2], first.virtualHosts[2], 'c: only the previous compile is remembered');
  assert.equal(third.selectVirtualHost('c.example')?.name, 'c');
});

test('route-configuration-level settings or listener options that change recompile every virtual host', () => {
  const compiler = new RouteTableCompiler();
  const first = compiler.compile(base, options);
  const mutated = { ...routes(['x'], { request_headers_to_add: [{ header: { key: 'x-a', value: '1' } }] }), virtualHosts: base.virtualHosts };
  const second = compiler.compile(mutated, options);
  assert.notEqual(second.virtualHosts[0], first.virtualHosts[0]);
  const third = compiler.compile(mutated, { ...options, defaultRequestBufferLimitBytes: 1024 });
  assert.notEqual(third.virtualHosts[0], second.virtualHosts[0]);
});

test('a duplicate domain across a reused and a new virtual host is still refused', () => {
  const compiler = new RouteTableCompiler();
  compiler.compile(base, options);
  const dup = routes(['a']).virtualHosts[0];
  assert.throws(() => compiler.compile(withHosts(base, [va, dup]), options), /more than one virtual host/);
});
