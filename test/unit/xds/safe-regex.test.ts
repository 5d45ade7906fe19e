import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRewriteString, compileSafeRegex, type SafeRegex } from '../../../src/xds/safe-regex.js';

function compile(pattern: string): SafeRegex {
  const r = compileSafeRegex(pattern);
  if (!r.ok) assert.fail(r.message);
  return r.regex;
}

const matchCases: { pattern: string; input: string; full: boolean; search: boolean }[] = [
  { pattern: '^/api/v[0-9]+/users/[^/]+$', input: '/api/v2/users/alice', full: true, search: true },
  { pattern: '^/api/v[0-9]+/users/[^/]+$', input: '/api/v2/users/alice/x', full: false, search: false },
  { pattern: '.*\\.(png|jpg)', input: '/img/logo.png', full: true, search: true },
  { pattern: '.*\\.(png|jpg)', input: '/img/logo.png?x=1', full: false, search: true },
  { pattern: '/users', input: '/users/1', full: false, search: true },
  { pattern: 'a|ab', input: 'ab', full: true, search: true },
  { pattern: '.', input: '\n', full: false, search: false },
  { pattern: '(?i)abc', input: 'ABC', full: true, search: true },
  { pattern: '[^/]+', input: 'héllo', full: true, search: true },
  { pattern: '', input: '', full: true, search: true },
  { pattern: '', input: 'x', full: false, search: true },
  // Linear time: this is catastrophic on a backtracking engine.
  { pattern: '(a+)+$', input: 'a'.repeat(5000) + 'b', full: false, search: false },
  { pattern: '(a|aa)*c', input: 'a'.repeat(5000), full: false, search: false },
];

for (const c of matchCases) {
  test(`${JSON.stringify(c.pattern)} on ${JSON.stringify(c.input.slice(0, 20))}: full ${c.full}, search ${c.search}`, () => {
    const r = compile(c.pattern);
    assert.equal(r.source, c.pattern);
    assert.equal(r.fullMatch(c.input), c.full);
    assert.equal(r.search(c.input), c.search);
  });
}

const rejectCases: { pattern: string; error: RegExp }[] = [
  { pattern: '(a)\\1', error: /invalid escape sequence: `\\1`/ },
  { pattern: '(?=x)', error: /unsupported Perl syntax: `\(\?=`/ },
  { pattern: '(?!x)a', error: /unsupported Perl syntax/ },
  { pattern: '(?<=x)a', error: /invalid/ },
  { pattern: '[a-', error: /missing closing \]/ },
  { pattern: '(', error: /missing closing \)/ },
  { pattern: 'a{1001}', error: /invalid repeat count/ },
  { pattern: 'a++', error: /invalid nested repetition operator/ },
  { pattern: '*', error: /missing argument to repetition operator/ },
];

for (const c of rejectCases) {
  test(`rejects ${JSON.stringify(c.pattern)}`, () => {
    const r = compileSafeRegex(c.pattern);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /^invalid RE2 regex /);
      assert.ok(r.message.includes(JSON.stringify(c.pattern)), r.message);
      assert.match(r.message, c.error);
    }
  });
}

// Expected outputs are RE2::GlobalReplace's (and Envoy's regex_rewrite docs examples).
const replaceCases: { pattern: string; sub: string; input: string; expected: string }[] = [
  { pattern: '^/service/([^/]+)(/.*)$', sub: '\\2/instance/\\1', input: '/service/foo/v1/api', expected: '/v1/api/instance/foo' },
  { pattern: 'one', sub: 'two', input: '/xxx/one/yyy/one/zzz', expected: '/xxx/two/yyy/two/zzz' },
  { pattern: '^/aaa/(.*)/ccc$', sub: '/\\1', input: '/aaa/bbb/ccc', expected: '/bbb' },
  { pattern: 'a*', sub: '-', input: 'baaac', expected: '-b-c-' },
  { pattern: 'x*', sub: '-', input: 'é', expected: '-é-' },
  { pattern: 'x*', sub: '-', input: '😀a', expected: '-😀-a-' },
  { pattern: '^/', sub: '', input: '/a/b', expected: 'a/b' },
  { pattern: 'b', sub: '[\\0]', input: 'abcb', expected: 'a[b]c[b]' },
  { pattern: 'b', sub: '\\\\', input: 'abc', expected: 'a\\c' },
  { pattern: 'zz', sub: 'y', input: 'abc', expected: 'abc' },
  { pattern: '(b)(x)?', sub: '<\\2>', input: 'abc', expected: 'a<>c' },
  // Invalid substitutions leave the input alone, as RE2 does.
  { pattern: '(b)', sub: '\\2', input: 'abc', expected: 'abc' },
  { pattern: 'b', sub: '\\q', input: 'abc', expected: 'abc' },
];

for (const c of replaceCases) {
  test(`replaceAll ${JSON.stringify(c.pattern)} → ${JSON.stringify(c.sub)} on ${JSON.stringify(c.input)}`, () => {
    const r = compile(c.pattern);
    assert.equal(r.replaceAll(c.input, c.sub), c.expected);
    // Second call goes through the cached parsed substitution.
    assert.equal(r.replaceAll(c.input, c.sub), c.expected);
  });
}

test('replaceAll with alternating substitutions re-parses each', () => {
  const r = compile('(o)');
  assert.equal(r.replaceAll('foo', '0'), 'f00');
  assert.equal(r.replaceAll('foo', '[\\1]'), 'f[o][o]');
  assert.equal(r.replaceAll('foo', '0'), 'f00');
});

const rewriteChecks: { pattern: string; sub: string; error: RegExp | null }[] = [
  { pattern: '^/(a)/(b)$', sub: '/\\2/\\1', error: null },
  { pattern: 'x', sub: '\\0 and \\\\', error: null },
  { pattern: '(a)', sub: '\\2', error: /group \\2, but the pattern has 1 capturing group$/ },
  { pattern: 'a', sub: '\\1', error: /has 0 capturing groups/ },
  { pattern: 'a', sub: '\\n', error: /invalid rewrite escape \\n/ },
  { pattern: 'a', sub: 'trailing\\', error: /invalid rewrite escape/ },
];

for (const c of rewriteChecks) {
  test(`checkRewriteString ${JSON.stringify(c.sub)} for ${JSON.stringify(c.pattern)}`, () => {
    const message = checkRewriteString(compile(c.pattern), c.sub);
    if (c.error === null) assert.equal(message, null);
    else assert.match(message ?? '', c.error);
  });
}

test('a compiled regex keeps working after deep freeze', () => {
  const r = compile('a(b)');
  Object.freeze(r);
  assert.equal(r.fullMatch('ab'), true);
  assert.equal(r.replaceAll('xab', '\\1'), 'xb');
});
