/**
 * The real router (child process) in front of real upstreams: virtual-host precedence, route
 * matching in order, rewrites, redirects, direct responses, header handling and local replies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type EchoBody, type TestUpstream } from '../../helpers/upstream.js';

describe('routing through the router', () => {
  let a: TestUpstream, b: TestUpstream, c: TestUpstream;
  let router: RunningRouter;
  let port: number;
  const agent = keepAliveAgent();

  before(async () => {
    [a, b, c] = await Promise.all([startUpstream('a'), startUpstream('b'), startUpstream('c')]);
    port = await freePort();
    const adminPort = await freePort();
    const routeConfig = {
      name: 'local_route',
      response_headers_to_add: [{ header: { key: 'x-rc', value: 'rc' } }],
      virtual_hosts: [
        {
          name: 'api',
          domains: ['api.example.com', 'api.example.com:8443'],
          request_headers_to_add: [{ header: { key: 'x-vh', value: 'api' } }],
          routes: [
            { match: { path: '/exact' }, route: { cluster: 'b' } },
            { match: { safe_regex: { regex: '/users/[0-9]+' } }, route: { cluster: 'c' } },
            { match: { prefix: '/', headers: [{ name: 'x-canary', string_match: { exact: 'true' } }] }, route: { cluster: 'c' } },
            { match: { prefix: '/rewrite/' }, route: { cluster: 'a', prefix_rewrite: '/' } },
            { match: { prefix: '/old' }, redirect: { path_redirect: '/new', response_code: 'FOUND' } },
            { match: { prefix: '/direct' }, direct_response: { status: 418, body: { inline_string: 'teapot' } } },
            { match: { prefix: '/CaseLess', case_sensitive: false }, route: { cluster: 'b' } },
            { match: { prefix: '/q', query_parameters: [{ name: 'debug', present_match: true }] }, route: { cluster: 'b' } },
            { match: { prefix: '/' }, route: { cluster: 'a' }, response_headers_to_add: [{ header: { key: 'x-route', value: 'default' } }] },
          ],
        },
        { name: 'suffix', domains: ['*.example.com'], routes: [{ match: { prefix: '/' }, route: { cluster: 'b' } }] },
        { name: 'longer-suffix', domains: ['*.deep.example.com'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }] },
        { name: 'prefix', domains: ['www.*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }] },
        { name: 'none', domains: ['noroute.test'], routes: [{ match: { prefix: '/only' }, route: { cluster: 'a' } }] },
        { name: 'catchall', domains: ['*'], routes: [{ match: { prefix: '/' }, direct_response: { status: 200, body: { inline_string: 'fallback' } } }] },
      ],
    };
    const doc = bootstrap(adminPort, [httpListener(port, routeConfig)], [
      staticCluster('a', [a.address]),
      staticCluster('b', [b.address]),
      staticCluster('c', [c.address]),
    ]);
    router = await startRouter(doc, adminPort);
  });

  after(async () => {
    agent.destroy();
    await router?.stop();
    await Promise.all([a?.close(), b?.close(), c?.close()]);
  });

  const get = (host: string, path: string, headers: Record<string, string> = {}) =>
    request(port, { path, headers: { host, ...headers }, agent });

  const cases: { name: string; host: string; path: string; headers?: Record<string, string>; upstream?: string; status?: number; body?: string }[] = [
    { name: 'exact host, path match', host: 'api.example.com', path: '/exact', upstream: 'b' },
    { name: 'exact host, path match is exact', host: 'api.example.com', path: '/exact/more', upstream: 'a' },
    { name: 'regex match must cover the whole path', host: 'api.example.com', path: '/users/42', upstream: 'c' },
    { name: 'regex does not match a longer path', host: 'api.example.com', path: '/users/42/x', upstream: 'a' },
    { name: 'header matcher', host: 'api.example.com', path: '/anything', headers: { 'x-canary': 'true' }, upstream: 'c' },
    { name: 'host is case-insensitive', host: 'API.Example.COM', path: '/exact', upstream: 'b' },
    { name: 'host with a port listed in domains', host: 'api.example.com:8443', path: '/exact', upstream: 'b' },
    { name: 'suffix wildcard', host: 'foo.example.com', path: '/', upstream: 'b' },
    { name: 'longest suffix wins', host: 'x.deep.example.com', path: '/', upstream: 'c' },
    { name: 'prefix wildcard', host: 'www.other.org', path: '/', upstream: 'c' },
    { name: 'catch-all', host: 'unknown.org', path: '/', status: 200, body: 'fallback' },
    { name: 'case-insensitive prefix', host: 'api.example.com', path: '/caseless/x', upstream: 'b' },
    { name: 'query parameter present', host: 'api.example.com', path: '/q?debug=1', upstream: 'b' },
    { name: 'query parameter absent', host: 'api.example.com', path: '/q', upstream: 'a' },
    { name: 'direct response', host: 'api.example.com', path: '/direct', status: 418, body: 'teapot' },
    { name: 'no route in the virtual host is 404', host: 'noroute.test', path: '/', status: 404, body: '' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const r = await get(c.host, c.path, c.headers);
      if (c.upstream !== undefined) {
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['x-upstream'], c.upstream);
      } else {
        assert.equal(r.status, c.status);
        assert.equal(r.body, c.body);
      }
    });
  }

  test('prefix_rewrite rewrites the path and keeps the original', async () => {
    const r = await get('api.example.com', '/rewrite/deep/path?x=1');
    const echo = JSON.parse(r.body) as EchoBody;
    assert.equal(echo.url, '/deep/path?x=1');
    assert.equal(echo.headers['x-envoy-original-path'], '/rewrite/deep/path?x=1');
  });

  test('redirect answers with Location and the configured code', async () => {
    const r = await get('api.example.com', '/old/page');
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, 'http://api.example.com/new');
  });

  test('forwarding headers, request id, header mutations', async () => {
    const r = await get('api.example.com', '/hello', { 'x-forwarded-for': '10.0.0.1', connection: 'keep-alive, x-drop-me', 'x-drop-me': '1' });
    assert.equal(r.status, 200);
    const echo = JSON.parse(r.body) as EchoBody;
    assert.equal(echo.url, '/hello');
    assert.equal(echo.headers.host, 'api.example.com');
    assert.equal(echo.headers['x-vh'], 'api');
    assert.match(String(echo.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.equal(echo.headers['x-forwarded-proto'], 'http');
    assert.equal(echo.headers['x-forwarded-for'], '10.0.0.1');
    assert.equal(echo.headers['x-envoy-expected-rq-timeout-ms'], '15000');
    assert.equal(echo.headers['x-drop-me'], undefined, 'headers named in Connection are hop-by-hop');
    assert.equal(r.headers['x-route'], 'default');
    assert.equal(r.headers['x-rc'], 'rc');
    assert.equal(r.headers.server, 'envoy');
    assert.match(String(r.headers['x-envoy-upstream-service-time']), /^\d+$/);
  });

  test('an existing x-request-id is kept', async () => {
    const r = await get('api.example.com', '/', { 'x-request-id': 'abc-123' });
    assert.equal((JSON.parse(r.body) as EchoBody).headers['x-request-id'], 'abc-123');
  });

  test('request and response bodies stream through (POST, 1 MiB)', async () => {
    const body = Buffer.alloc(1 << 20, 'x');
    const r = await request(port, { method: 'POST', path: '/upload', headers: { host: 'api.example.com' }, body, agent });
    assert.equal(r.status, 200);
    assert.equal((JSON.parse(r.body) as EchoBody).body.length, body.length);
  });
});
