import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashString } from '../../../../src/common/hash.js';
import type { HashPolicy } from '../../../../src/xds/resources/route-configuration.types.js';
import { cookieValue, HashPolicyEvaluator, makeSetCookieValue, type HashKeyInput } from '../../../../src/router/routing/hash-key.js';

function input(i: Partial<HashKeyInput> = {}): HashKeyInput {
  return { headers: [], query: '', remoteAddress: '10.0.0.1', ...i };
}
const header = (headerName: string, terminal = false): HashPolicy => ({ kind: 'header', headerName, terminal });
const query = (name: string, terminal = false): HashPolicy => ({ kind: 'queryParameter', name, terminal });
const sourceIp = (terminal = false): HashPolicy => ({ kind: 'sourceIp', terminal });
const cookie = (name: string, ttlMs: number | null, path = '', terminal = false): HashPolicy => ({ kind: 'cookie', name, ttlMs, path, terminal });
const rotl1 = (h: number) => ((h << 1) | (h >>> 31)) >>> 0;

const cases: { name: string; policies: HashPolicy[]; input: HashKeyInput; expected: number | null }[] = [
  { name: 'header value', policies: [header('x-user')], input: input({ headers: ['x-user', 'alice'] }), expected: hashString('alice') },
  { name: 'absent header gives no hash', policies: [header('x-user')], input: input(), expected: null },
  { name: 'repeated header values are order-independent', policies: [header('x-k')], input: input({ headers: ['x-k', 'b', 'x-k', 'a'] }), expected: hashString('a\u0000b') },
  { name: ':authority pseudo-header', policies: [header(':authority')], input: input({ authority: 'a.com' }), expected: hashString('a.com') },
  { name: 'query parameter, first value', policies: [query('u')], input: input({ query: 'u=1&u=2' }), expected: hashString('1') },
  { name: 'source ip', policies: [sourceIp()], input: input(), expected: hashString('10.0.0.1') },
  { name: 'source ip unknown', policies: [sourceIp()], input: input({ remoteAddress: '' }), expected: null },
  { name: 'cookie', policies: [cookie('sid', null)], input: input({ headers: ['cookie', 'a=1; sid="xyz"; b=2'] }), expected: hashString('xyz') },
  {
    name: 'two policies fold as rotl(h,1) ^ next',
    policies: [header('x-a'), query('q')],
    input: input({ headers: ['x-a', 'A'], query: 'q=Q' }),
    expected: (rotl1(hashString('A')) ^ hashString('Q')) >>> 0,
  },
  { name: 'a missing first policy does not rotate', policies: [header('x-missing'), query('q')], input: input({ query: 'q=Q' }), expected: hashString('Q') },
  { name: 'terminal stops after producing a hash', policies: [header('x-a', true), query('q')], input: input({ headers: ['x-a', 'A'], query: 'q=Q' }), expected: hashString('A') },
  { name: 'terminal without a hash does not stop', policies: [header('x-missing', true), query('q')], input: input({ query: 'q=Q' }), expected: hashString('Q') },
  { name: 'duplicate policies do not cancel out', policies: [header('x-a'), header('x-a')], input: input({ headers: ['x-a', 'A'] }), expected: (rotl1(hashString('A')) ^ hashString('A')) >>> 0 },
];
for (const c of cases) {
  test(`hash policy: ${c.name}`, () => {
    const r = new HashPolicyEvaluator(c.policies).evaluate(c.input);
    assert.equal(r.hash, c.expected);
    assert.equal(r.setCookie, null);
  });
}

test('hash policy: an absent cookie with a ttl is generated, hashed and returned for Set-Cookie', () => {
  const r = new HashPolicyEvaluator([cookie('sticky', 3_600_000, '/app')]).evaluate(input());
  assert.notEqual(r.hash, null);
  assert.match(r.setCookie ?? '', /^sticky="[0-9a-f]{8}"; Max-Age=3600; Path=\/app; HttpOnly$/);
  const value = /"([0-9a-f]{8})"/.exec(r.setCookie!)![1];
  assert.equal(r.hash, hashString(value));
  // The same client gets the same cookie, and sending it back hashes the same way.
  const again = new HashPolicyEvaluator([cookie('sticky', 3_600_000, '/app')]).evaluate(input({ headers: ['cookie', `sticky="${value}"`] }));
  assert.equal(again.hash, r.hash);
  assert.equal(again.setCookie, null);
});

test('hash policy: an absent cookie without a ttl gives no hash', () => {
  const r = new HashPolicyEvaluator([cookie('sticky', null)]).evaluate(input());
  assert.equal(r.hash, null);
  assert.equal(r.setCookie, null);
});

test('cookie helpers', () => {
  assert.equal(cookieValue(['cookie', 'a=1', 'cookie', ' b=2 ; c=3'], 'b'), '2 ');
  assert.equal(cookieValue(['cookie', 'ab=1'], 'a'), null);
  assert.equal(cookieValue(['cookie', 'a='], 'a'), null);
  assert.equal(makeSetCookieValue('n', 'v', '', 0), 'n="v"; HttpOnly');
});
