import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StringMatcher } from '../../../../src/xds/resources/common.types.js';
import type { HeaderMatcher, PathSpecifier, QueryParameterMatcher } from '../../../../src/xds/resources/route-configuration.types.js';
import { CompiledStringMatcher } from '../../../../src/router/routing/string-matcher.js';
import { CompiledHeaderMatcher, CompiledQueryParameterMatcher, parseInteger } from '../../../../src/router/routing/header-matcher.js';
import { PathMatcher } from '../../../../src/router/routing/path-matcher.js';
import { CompiledRouteMatch, isGrpcRequest } from '../../../../src/router/routing/route-match.js';
import { firstQueryValue, joinedHeaderValue } from '../../../../src/router/routing/route-request.js';
import { match, request } from './route-fixtures.js';

function sm(kind: StringMatcher['kind'], value: string, ignoreCase = false): StringMatcher {
  return { kind, value, ignoreCase };
}

const stringCases: { name: string; m: StringMatcher; input: string; expected: boolean }[] = [
  { name: 'exact', m: sm('exact', 'abc'), input: 'abc', expected: true },
  { name: 'exact is case-sensitive', m: sm('exact', 'abc'), input: 'ABC', expected: false },
  { name: 'exact ignore_case', m: sm('exact', 'aBc', true), input: 'AbC', expected: true },
  { name: 'exact ignore_case length differs', m: sm('exact', 'abc', true), input: 'abcd', expected: false },
  { name: 'prefix', m: sm('prefix', '/api'), input: '/api/v1', expected: true },
  { name: 'prefix miss', m: sm('prefix', '/api'), input: '/ap', expected: false },
  { name: 'prefix ignore_case', m: sm('prefix', '/API', true), input: '/api/v1', expected: true },
  { name: 'suffix', m: sm('suffix', '.json'), input: 'a.json', expected: true },
  { name: 'suffix ignore_case', m: sm('suffix', '.JSON', true), input: 'a.Json', expected: true },
  { name: 'suffix longer than input', m: sm('suffix', 'abcdef'), input: 'ef', expected: false },
  { name: 'contains', m: sm('contains', 'mid'), input: 'a-mid-b', expected: true },
  { name: 'contains ignore_case', m: sm('contains', 'MID', true), input: 'a-mId-b', expected: true },
  { name: 'contains miss', m: sm('contains', 'zz', true), input: 'abc', expected: false },
  { name: 'safe_regex full match', m: sm('safeRegex', '[a-z]+-\\d{2}'), input: 'abc-12', expected: true },
  { name: 'safe_regex must match the whole input', m: sm('safeRegex', '\\d{3}'), input: '1234', expected: false },
  { name: 'ignore_case folds ASCII only', m: sm('exact', 'é', true), input: 'É', expected: false },
];
for (const c of stringCases) {
  test(`string matcher: ${c.name}`, () => {
    const r = CompiledStringMatcher.compile(c.m);
    assert.ok(r.ok);
    assert.equal(r.matcher.match(c.input), c.expected);
  });
}

test('string matcher: RE2 rejects backreferences and lookaheads', () => {
  for (const pattern of ['(a)\\1', 'a(?=b)']) {
    const r = CompiledStringMatcher.compile(sm('safeRegex', pattern));
    assert.equal(r.ok, false, pattern);
  }
});

test('string matcher: a catastrophic-backtracking pattern runs in linear time under RE2', () => {
  const r = CompiledStringMatcher.compile(sm('safeRegex', '(a+)+$'));
  assert.ok(r.ok);
  const start = performance.now();
  assert.equal(r.matcher.match('a'.repeat(5000) + '!'), false);
  assert.ok(performance.now() - start < 2000);
});

function hm(name: string, m: HeaderMatcher['match'], invertMatch = false, treatMissingHeaderAsEmpty = false): HeaderMatcher {
  return { name, match: m, invertMatch, treatMissingHeaderAsEmpty };
}
const exactFoo: HeaderMatcher['match'] = { kind: 'string', matcher: sm('exact', 'foo') };
const range: HeaderMatcher['match'] = { kind: 'range', start: -10, end: 10 };

const headerCases: { name: string; m: HeaderMatcher; headers: string[]; expected: boolean; method?: string; path?: string }[] = [
  { name: 'string exact hit', m: hm('x-a', exactFoo), headers: ['x-a', 'foo'], expected: true },
  { name: 'string exact miss', m: hm('x-a', exactFoo), headers: ['x-a', 'bar'], expected: false },
  { name: 'absent header fails', m: hm('x-a', exactFoo), headers: [], expected: false },
  { name: 'invert turns a miss into a match', m: hm('x-a', exactFoo, true), headers: ['x-a', 'bar'], expected: true },
  { name: 'invert turns a hit into a miss', m: hm('x-a', exactFoo, true), headers: ['x-a', 'foo'], expected: false },
  { name: 'absent header fails even inverted', m: hm('x-a', exactFoo, true), headers: [], expected: false },
  { name: 'treat missing as empty + invert matches an absent header', m: hm('x-a', exactFoo, true, true), headers: [], expected: true },
  { name: 'treat missing as empty: exact "" matches', m: hm('x-a', { kind: 'string', matcher: sm('exact', '') }, false, true), headers: [], expected: true },
  { name: 'repeated values are joined with ","', m: hm('x-a', { kind: 'string', matcher: sm('exact', 'a,b') }), headers: ['x-a', 'a', 'x-b', 'z', 'x-a', 'b'], expected: true },
  { name: 'range inside', m: hm('x-n', range), headers: ['x-n', '-1'], expected: true },
  { name: 'range start is inclusive', m: hm('x-n', range), headers: ['x-n', '-10'], expected: true },
  { name: 'range end is exclusive', m: hm('x-n', range), headers: ['x-n', '10'], expected: false },
  { name: 'range with a non-integer value', m: hm('x-n', range), headers: ['x-n', '1.5'], expected: false },
  { name: 'range inverted', m: hm('x-n', range, true), headers: ['x-n', '-1'], expected: false },
  { name: 'range inverted, missing as empty', m: hm('x-n', range, true, true), headers: [], expected: true },
  { name: 'present true, header there', m: hm('x-p', { kind: 'present', present: true }), headers: ['x-p', ''], expected: true },
  { name: 'present true, header absent', m: hm('x-p', { kind: 'present', present: true }), headers: [], expected: false },
  { name: 'present false, header absent', m: hm('x-p', { kind: 'present', present: false }), headers: [], expected: true },
  { name: 'present true inverted, header absent', m: hm('x-p', { kind: 'present', present: true }, true), headers: [], expected: true },
  { name: ':method pseudo-header', m: hm(':method', { kind: 'string', matcher: sm('exact', 'POST') }), headers: [], method: 'POST', expected: true },
  { name: ':path pseudo-header includes the query', m: hm(':path', { kind: 'string', matcher: sm('exact', '/a?b=1') }), headers: [], path: '/a?b=1', expected: true },
  { name: ':authority pseudo-header', m: hm(':authority', { kind: 'string', matcher: sm('suffix', '.com') }), headers: [], expected: true },
  { name: ':scheme pseudo-header', m: hm(':scheme', { kind: 'string', matcher: sm('exact', 'http') }), headers: [], expected: true },
];
for (const c of headerCases) {
  test(`header matcher: ${c.name}`, () => {
    const r = CompiledHeaderMatcher.compile(c.m);
    assert.ok(r.ok);
    assert.equal(r.matcher.matches(request(c.path ?? '/', c.headers, c.method ?? 'GET')), c.expected);
  });
}

test('parseInteger follows absl::SimpleAtoi', () => {
  assert.equal(parseInteger(' 42 '), 42);
  assert.equal(parseInteger('+7'), 7);
  assert.equal(parseInteger('-7'), -7);
  for (const bad of ['', '-', '4 2', '0x10', '1e3']) assert.ok(Number.isNaN(parseInteger(bad)), bad);
});

function qm(name: string, m: QueryParameterMatcher['match']): QueryParameterMatcher {
  return { name, match: m };
}
const queryCases: { name: string; m: QueryParameterMatcher; query: string; expected: boolean }[] = [
  { name: 'string exact', m: qm('a', { kind: 'string', matcher: sm('exact', '1') }), query: 'a=1&b=2', expected: true },
  { name: 'first value only', m: qm('a', { kind: 'string', matcher: sm('exact', '2') }), query: 'a=1&a=2', expected: false },
  { name: 'not URL-decoded', m: qm('a', { kind: 'string', matcher: sm('exact', 'x y') }), query: 'a=x%20y', expected: false },
  { name: 'name must match whole', m: qm('a', { kind: 'present', present: true }), query: 'ab=1', expected: false },
  { name: 'present without "="', m: qm('flag', { kind: 'present', present: true }), query: 'x=1&flag', expected: true },
  { name: 'absent never matches', m: qm('a', { kind: 'present', present: false }), query: '', expected: false },
  { name: 'present_match false never matches a present parameter', m: qm('a', { kind: 'present', present: false }), query: 'a=1', expected: false },
];
for (const c of queryCases) {
  test(`query parameter matcher: ${c.name}`, () => {
    const r = CompiledQueryParameterMatcher.compile(c.m);
    assert.ok(r.ok);
    assert.equal(r.matcher.matches(c.query), c.expected);
  });
}

test('query and header helpers', () => {
  assert.equal(firstQueryValue('a=1&b=&c', 'b'), '');
  assert.equal(firstQueryValue('a=1&b=&c', 'c'), '');
  assert.equal(firstQueryValue('a=1&b=&c', 'd'), null);
  assert.equal(joinedHeaderValue(['a', '1'], 'a'), '1');
  assert.equal(joinedHeaderValue(['a', '1'], 'b'), null);
});

const pathCases: { name: string; spec: PathSpecifier; caseSensitive?: boolean; path: string; method?: string; expected: boolean }[] = [
  { name: 'prefix', spec: { kind: 'prefix', value: '/api' }, path: '/api/users', expected: true },
  { name: 'prefix is not segment-aware', spec: { kind: 'prefix', value: '/api' }, path: '/apix', expected: true },
  { name: 'prefix case-insensitive', spec: { kind: 'prefix', value: '/API' }, caseSensitive: false, path: '/api/x', expected: true },
  { name: 'prefix case-sensitive miss', spec: { kind: 'prefix', value: '/API' }, path: '/api/x', expected: false },
  { name: 'path exact', spec: { kind: 'path', value: '/health' }, path: '/health', expected: true },
  { name: 'path exact miss on a longer path', spec: { kind: 'path', value: '/health' }, path: '/health/x', expected: false },
  { name: 'path case-insensitive', spec: { kind: 'path', value: '/Health' }, caseSensitive: false, path: '/HEALTH', expected: true },
  { name: 'path_separated_prefix equal', spec: { kind: 'pathSeparatedPrefix', value: '/api' }, path: '/api', expected: true },
  { name: 'path_separated_prefix then "/"', spec: { kind: 'pathSeparatedPrefix', value: '/api' }, path: '/api/v1', expected: true },
  { name: 'path_separated_prefix rejects a longer segment', spec: { kind: 'pathSeparatedPrefix', value: '/api' }, path: '/apix', expected: false },
  { name: 'path_separated_prefix case-insensitive', spec: { kind: 'pathSeparatedPrefix', value: '/api' }, caseSensitive: false, path: '/API/x', expected: true },
  { name: 'safe_regex full match', spec: { kind: 'safeRegex', value: '/users/[0-9]+' }, path: '/users/42', expected: true },
  { name: 'safe_regex partial is a miss', spec: { kind: 'safeRegex', value: '/users/[0-9]+' }, path: '/users/42/x', expected: false },
  { name: 'safe_regex ignores case_sensitive', spec: { kind: 'safeRegex', value: '/a' }, caseSensitive: false, path: '/A', expected: false },
  { name: 'connect_matcher on CONNECT', spec: { kind: 'connectMatcher' }, path: '', method: 'CONNECT', expected: true },
  { name: 'connect_matcher on GET', spec: { kind: 'connectMatcher' }, path: '/', expected: false },
];
for (const c of pathCases) {
  test(`path matcher: ${c.name}`, () => {
    const r = PathMatcher.compile(c.spec, c.caseSensitive ?? true);
    assert.ok(r.ok);
    assert.equal(r.matcher.match(c.path, c.method ?? 'GET'), c.expected);
  });
}

test('route match: path is matched without the query', () => {
  const m = CompiledRouteMatch.compile(match({ path: { kind: 'path', value: '/a' } }), 'm', [])!;
  assert.equal(m.matches(request('/a?x=1'), 0), true);
});

test('route match: runtime_fraction uses random % denominator < numerator', () => {
  const m = CompiledRouteMatch.compile(match({ runtimeFraction: { numerator: 25, denominator: 100 } }), 'm', [])!;
  assert.equal(m.matches(request('/'), 24), true);
  assert.equal(m.matches(request('/'), 25), false);
  assert.equal(m.matches(request('/'), 124), true);
});

test('route match: grpc requires an application/grpc content-type', () => {
  const m = CompiledRouteMatch.compile(match({ grpc: true }), 'm', [])!;
  assert.equal(m.matches(request('/', ['content-type', 'application/grpc']), 0), true);
  assert.equal(m.matches(request('/', ['content-type', 'application/json']), 0), false);
  assert.equal(isGrpcRequest(['content-type', 'application/grpc+proto']), true);
  assert.equal(isGrpcRequest(['content-type', 'application/grpcx']), false);
  assert.equal(isGrpcRequest([]), false);
});

test('route match: every header and query matcher must hold', () => {
  const m = CompiledRouteMatch.compile(
    match({
      headers: [hm('x-a', exactFoo), hm('x-b', { kind: 'present', present: true })],
      queryParameters: [qm('v', { kind: 'string', matcher: sm('exact', '2') })],
    }),
    'm',
    [],
  )!;
  assert.equal(m.matches(request('/?v=2', ['x-a', 'foo', 'x-b', '1']), 0), true);
  assert.equal(m.matches(request('/?v=2', ['x-a', 'foo']), 0), false);
  assert.equal(m.matches(request('/?v=3', ['x-a', 'foo', 'x-b', '1']), 0), false);
});

test('route match: bad regexes are reported with their paths', () => {
  const errors: { path: string; message: string }[] = [];
  const m = CompiledRouteMatch.compile(
    match({ path: { kind: 'safeRegex', value: '(a)\\1' }, headers: [hm('x', { kind: 'string', matcher: sm('safeRegex', '(?=x)') })] }),
    'virtualHosts[0].routes[3].match',
    errors,
  );
  assert.equal(m, null);
  assert.deepEqual(errors.map((e) => e.path), ['virtualHosts[0].routes[3].match.path', 'virtualHosts[0].routes[3].match.headers[0]']);
});
