import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RedirectAction } from '../../../../src/xds/resources/route-configuration.types.js';
import { PathMatcher } from '../../../../src/router/routing/path-matcher.js';
import { buildRedirectLocation, CompiledRedirect, PathRewriter } from '../../../../src/router/routing/path-rewrite.js';
import type { PathSpecifier } from '../../../../src/xds/resources/route-configuration.types.js';
import { request } from './route-fixtures.js';

function matcher(spec: PathSpecifier, caseSensitive = true): PathMatcher {
  const r = PathMatcher.compile(spec, caseSensitive);
  assert.ok(r.ok);
  return r.matcher;
}

function rewriter(spec: PathSpecifier, prefix: string | null, regex: { pattern: string; substitution: string } | null = null, caseSensitive = true): PathRewriter {
  const r = PathRewriter.compile(prefix, regex, matcher(spec, caseSensitive));
  assert.ok(r.ok && r.rewriter !== null);
  return r.rewriter;
}

const rewriteCases: { name: string; rw: () => PathRewriter; input: string; expected: string }[] = [
  { name: 'prefix_rewrite replaces the matched prefix, keeps the query', rw: () => rewriter({ kind: 'prefix', value: '/api/' }, '/v2/'), input: '/api/users?x=1', expected: '/v2/users?x=1' },
  { name: 'prefix_rewrite to "/"', rw: () => rewriter({ kind: 'prefix', value: '/app' }, '/'), input: '/app/x', expected: '//x' },
  { name: 'prefix_rewrite case-insensitive match replaces the same length', rw: () => rewriter({ kind: 'prefix', value: '/API' }, '/v1', null, false), input: '/api/x', expected: '/v1/x' },
  { name: 'path_separated_prefix rewrite', rw: () => rewriter({ kind: 'pathSeparatedPrefix', value: '/svc' }, '/internal'), input: '/svc/a?q', expected: '/internal/a?q' },
  { name: 'path match: whole path replaced', rw: () => rewriter({ kind: 'path', value: '/old' }, '/new'), input: '/old?k=v', expected: '/new?k=v' },
  { name: 'regex match: whole path replaced by prefix_rewrite', rw: () => rewriter({ kind: 'safeRegex', value: '/u/[0-9]+' }, '/user'), input: '/u/42?a', expected: '/user?a' },
  {
    name: 'regex_rewrite with capture groups, query kept',
    rw: () => rewriter({ kind: 'prefix', value: '/' }, null, { pattern: '^/service/([^/]+)(/.*)$', substitution: '\\2/instance/\\1' }),
    input: '/service/foo/v1/api?x=1',
    expected: '/v1/api/instance/foo?x=1',
  },
  { name: 'regex_rewrite replaces every match', rw: () => rewriter({ kind: 'prefix', value: '/' }, null, { pattern: 'a', substitution: 'b' }), input: '/aaa?a=a', expected: '/bbb?a=a' },
];
for (const c of rewriteCases) test(`rewrite: ${c.name}`, () => assert.equal(c.rw().rewrite(c.input), c.expected));

test('rewrite: none configured → null; bad pattern or substitution → error', () => {
  const m = matcher({ kind: 'prefix', value: '/' });
  const none = PathRewriter.compile(null, null, m);
  assert.ok(none.ok && none.rewriter === null);
  assert.equal(PathRewriter.compile(null, { pattern: '(a)\\1', substitution: '' }, m).ok, false);
  assert.equal(PathRewriter.compile(null, { pattern: '(a)', substitution: '\\2' }, m).ok, false);
});

function redirect(a: Partial<RedirectAction>, spec: PathSpecifier = { kind: 'prefix', value: '/' }): CompiledRedirect {
  const action: RedirectAction = {
    kind: 'redirect',
    schemeRedirect: null,
    hostRedirect: null,
    portRedirect: null,
    pathRedirect: null,
    prefixRewrite: null,
    regexRewrite: null,
    responseCode: 301,
    stripQuery: false,
    ...a,
  };
  const r = PathRewriter.compile(action.prefixRewrite, action.regexRewrite, matcher(spec));
  assert.ok(r.ok);
  return new CompiledRedirect(action, r.rewriter);
}

const redirectCases: { name: string; r: CompiledRedirect; url: string; scheme?: 'http' | 'https'; authority: string; expected: string }[] = [
  { name: 'https_redirect drops the http default port', r: redirect({ schemeRedirect: 'https' }), url: '/a?b=1', authority: 'foo.com:80', expected: 'https://foo.com/a?b=1' },
  { name: 'https_redirect keeps a non-default port', r: redirect({ schemeRedirect: 'https' }), url: '/a', authority: 'foo.com:8080', expected: 'https://foo.com:8080/a' },
  { name: 'same scheme keeps ":80"', r: redirect({ hostRedirect: null, pathRedirect: '/b' }), url: '/a', authority: 'foo.com:80', expected: 'http://foo.com:80/b' },
  { name: 'https → http drops ":443"', r: redirect({ schemeRedirect: 'http' }), url: '/a', scheme: 'https', authority: 'foo.com:443', expected: 'http://foo.com/a' },
  { name: 'host_redirect', r: redirect({ hostRedirect: 'bar.com' }), url: '/a?q', authority: 'foo.com:8080', expected: 'http://bar.com/a?q' },
  { name: 'port_redirect replaces the request port', r: redirect({ portRedirect: 8443 }), url: '/a', authority: 'foo.com:8080', expected: 'http://foo.com:8443/a' },
  { name: 'port_redirect with host_redirect', r: redirect({ hostRedirect: 'bar.com', portRedirect: 9000, schemeRedirect: 'https' }), url: '/', authority: 'foo.com', expected: 'https://bar.com:9000/' },
  { name: 'IPv6 authority port handling', r: redirect({ schemeRedirect: 'https' }), url: '/', authority: '[::1]:80', expected: 'https://[::1]/' },
  { name: 'path_redirect keeps the request query', r: redirect({ pathRedirect: '/new' }), url: '/old?x=1', authority: 'a.com', expected: 'http://a.com/new?x=1' },
  { name: 'path_redirect with its own query wins and is not stripped', r: redirect({ pathRedirect: '/new?y=2', stripQuery: true }), url: '/old?x=1', authority: 'a.com', expected: 'http://a.com/new?y=2' },
  { name: 'strip_query', r: redirect({ pathRedirect: '/new', stripQuery: true }), url: '/old?x=1', authority: 'a.com', expected: 'http://a.com/new' },
  { name: 'prefix_rewrite in a redirect', r: redirect({ prefixRewrite: '/v2/' }, { kind: 'prefix', value: '/v1/' }), url: '/v1/items?p=1', authority: 'a.com', expected: 'http://a.com/v2/items?p=1' },
  { name: 'regex_rewrite in a redirect', r: redirect({ regexRewrite: { pattern: '^/old/(.*)$', substitution: '/new/\\1' } }), url: '/old/x?k', authority: 'a.com', expected: 'http://a.com/new/x?k' },
  { name: 'path_redirect without a leading "/" gets one', r: redirect({ pathRedirect: 'x' }), url: '/', authority: 'a.com', expected: 'http://a.com/x' },
];
for (const c of redirectCases) {
  test(`redirect: ${c.name}`, () => {
    assert.equal(buildRedirectLocation(c.r, request(c.url, [], 'GET', c.scheme ?? 'http', c.authority), c.authority), c.expected);
  });
}
