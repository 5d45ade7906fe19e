import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualHostIndex } from '../../../../src/router/routing/virtual-host-index.js';
import { getPortStart, normalizeAuthority, stripPort, stripTrailingHostDot } from '../../../../src/router/routing/authority.js';
import { compileRouteTable, tryCompileRouteTable } from '../../../../src/router/routing/route-table.js';
import { routeConfig, TABLE_OPTIONS, vhost } from './route-fixtures.js';

function indexOf(domains: Record<string, string[]>): VirtualHostIndex<string> {
  const index = new VirtualHostIndex<string>();
  for (const [target, list] of Object.entries(domains)) for (const d of list) assert.equal(index.add(d, target), null);
  return index.seal();
}

const precedence = indexOf({
  exact: ['www.foo.com', 'api.foo.com:8080'],
  dotSuffix: ['*.foo.com'],
  longDotSuffix: ['*.bar.foo.com'],
  dashSuffix: ['*-bar.foo.com'],
  prefix: ['www.*'],
  longPrefix: ['www.foo.*'],
  any: ['*'],
});

const cases: { name: string; host: string; expected: string | null }[] = [
  { name: 'exact beats every wildcard', host: 'www.foo.com', expected: 'exact' },
  { name: 'exact is case-insensitive', host: 'WWW.Foo.COM', expected: 'exact' },
  { name: 'exact domain with a port matches that authority', host: 'api.foo.com:8080', expected: 'exact' },
  { name: 'a port-qualified domain does not match another port', host: 'api.foo.com:9090', expected: 'any' },
  { name: 'suffix wildcard', host: 'x.foo.com', expected: 'dotSuffix' },
  { name: 'longest suffix wins', host: 'a.bar.foo.com', expected: 'longDotSuffix' },
  { name: 'non-dot suffix longer than the dot suffix wins', host: 'baz-bar.foo.com', expected: 'dashSuffix' },
  { name: 'wildcard never matches the empty string', host: '-bar.foo.com', expected: 'dotSuffix' },
  { name: 'suffix beats a longer prefix', host: 'www.foo.com.x.foo.com', expected: 'dotSuffix' },
  { name: 'prefix wildcard when no suffix matches', host: 'www.example.org', expected: 'prefix' },
  { name: 'longest prefix wins', host: 'www.foo.org', expected: 'longPrefix' },
  { name: 'prefix wildcard needs at least one more character', host: 'www.', expected: 'any' },
  { name: "'*' catches the rest", host: 'unrelated.net', expected: 'any' },
  { name: "'.foo.com' alone is not matched by '*.foo.com'", host: '.foo.com', expected: 'any' },
];
for (const c of cases) test(`vhost precedence: ${c.name}`, () => assert.equal(precedence.find(c.host), c.expected));

test('no default: an unknown host selects nothing', () => {
  assert.equal(indexOf({ a: ['a.com'] }).find('b.com'), null);
});

test('duplicate domains and a second "*" are reported', () => {
  const index = new VirtualHostIndex<string>();
  assert.equal(index.add('a.com', 'x'), null);
  assert.match(index.add('A.com', 'y') ?? '', /more than one virtual host/);
  assert.equal(index.add('*', 'x'), null);
  assert.match(index.add('*', 'y') ?? '', /only one virtual host/);
});

test('thousands of wildcards: suffix lookup is by dot position, results still longest-first', () => {
  const index = new VirtualHostIndex<number>();
  for (let i = 0; i < 5000; i++) index.add(`*.t${i}.example.com`, i);
  index.add('*.example.com', -1);
  index.seal();
  assert.equal(index.find('svc.t4999.example.com'), 4999);
  assert.equal(index.find('a.b.t17.example.com'), 17);
  assert.equal(index.find('other.example.com'), -1);
});

const authorityCases: { name: string; authority: string; opts: Partial<typeof TABLE_OPTIONS>; method?: string; expected: string }[] = [
  { name: 'no options: unchanged', authority: 'a.com:8080', opts: {}, expected: 'a.com:8080' },
  { name: 'strip matching port', authority: 'a.com:8080', opts: { stripMatchingHostPort: true }, expected: 'a.com' },
  { name: 'strip matching port keeps another port', authority: 'a.com:9090', opts: { stripMatchingHostPort: true }, expected: 'a.com:9090' },
  { name: 'strip any port', authority: 'a.com:9090', opts: { stripAnyHostPort: true }, expected: 'a.com' },
  { name: 'IPv6 literal keeps its colons', authority: '[::1]', opts: { stripAnyHostPort: true }, expected: '[::1]' },
  { name: 'IPv6 literal loses its port', authority: '[::1]:8080', opts: { stripAnyHostPort: true }, expected: '[::1]' },
  { name: 'CONNECT keeps the port', authority: 'a.com:443', opts: { stripAnyHostPort: true }, method: 'CONNECT', expected: 'a.com:443' },
  { name: 'trailing dot stripped', authority: 'a.com.', opts: { stripTrailingHostDot: true }, expected: 'a.com' },
  { name: 'trailing dot before the port stripped', authority: 'a.com.:8080', opts: { stripTrailingHostDot: true }, expected: 'a.com:8080' },
  { name: 'dot then port both stripped', authority: 'a.com.:8080', opts: { stripTrailingHostDot: true, stripMatchingHostPort: true }, expected: 'a.com' },
  { name: 'non-numeric port kept', authority: 'a.com:x', opts: { stripAnyHostPort: true }, expected: 'a.com:x' },
];
for (const c of authorityCases) {
  test(`authority: ${c.name}`, () => assert.equal(normalizeAuthority(c.authority, { ...TABLE_OPTIONS, ...c.opts }, c.method), c.expected));
}

test('authority helpers', () => {
  assert.equal(getPortStart('a:1'), 1);
  assert.equal(getPortStart('[::1]'), -1);
  assert.equal(stripPort('a.com:80', 443), 'a.com:80');
  assert.equal(stripTrailingHostDot('a.com'), 'a.com');
});

test('route table: selectVirtualHost normalizes the authority with the listener options', () => {
  const config = routeConfig({ virtualHosts: [vhost({ name: 'api', domains: ['api.example.com'] }), vhost({ name: 'other', domains: ['api.example.com:8080'] })] });
  const plain = compileRouteTable(config, TABLE_OPTIONS);
  assert.equal(plain.selectVirtualHost('api.example.com:8080')?.name, 'other');
  assert.equal(plain.selectVirtualHost('API.example.com')?.name, 'api');
  const stripping = compileRouteTable(config, { ...TABLE_OPTIONS, stripMatchingHostPort: true });
  assert.equal(stripping.selectVirtualHost('api.example.com:8080')?.name, 'api');
  assert.equal(stripping.normalizeAuthority('api.example.com:8080'), 'api.example.com');
  const ignoring = compileRouteTable(routeConfig({ virtualHosts: [vhost({ name: 'api', domains: ['api.example.com'] })] }), { ...TABLE_OPTIONS, ignorePortInHostMatching: true });
  assert.equal(ignoring.selectVirtualHost('api.example.com:9999')?.name, 'api');
  assert.equal(plain.selectVirtualHost('nothing.example.com'), null);
});

test('route table: duplicate domains across virtual hosts are a FieldError with the path', () => {
  const r = tryCompileRouteTable(routeConfig({ virtualHosts: [vhost({ domains: ['a.com'] }), vhost({ domains: ['b.com', 'A.COM'] })] }), TABLE_OPTIONS);
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual(r.errors.map((e) => e.path), ['virtualHosts[1].domains[1]']);
});
