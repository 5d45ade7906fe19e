import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCreateRevision } from '../../../../src/control-plane/model/validate-revision.js';

const cases: { name: string; input: unknown; errors?: string[] }[] = [
  { name: 'no body is a revision with nothing set', input: undefined },
  { name: 'an empty object', input: {} },
  { name: 'everything set', input: { command: 'node', args: ['server.js', '--port', '8080'], env: { PORT: '8080', _X: '' }, endpoints: [{ address: '127.0.0.1', port: 8080 }, { address: '::1', port: 8080 }, { address: 'fe80::1', port: 1 }] } },
  { name: 'command null', input: { command: null } },
  { name: 'a hostname endpoint', input: { endpoints: [{ address: 'localhost', port: 80 }] }, errors: ['endpoints[0].address: must be an IPv4 or IPv6 address (endpoints are not resolved by DNS), got "localhost"'] },
  { name: 'a bad IPv4', input: { endpoints: [{ address: '256.1.1.1', port: 80 }] }, errors: ['endpoints[0].address: must be an IPv4 or IPv6 address (endpoints are not resolved by DNS), got "256.1.1.1"'] },
  { name: 'a bracketed IPv6', input: { endpoints: [{ address: '[::1]', port: 80 }] }, errors: ['endpoints[0].address: must be an IPv4 or IPv6 address (endpoints are not resolved by DNS), got "[::1]"'] },
  { name: 'port out of range and missing address', input: { endpoints: [{ port: 70000 }] }, errors: ['endpoints[0].address: is required', 'endpoints[0].port: must be 1–65535, got 70000'] },
  { name: 'a duplicate endpoint', input: { endpoints: [{ address: '10.0.0.1', port: 80 }, { address: '10.0.0.1', port: 80 }] }, errors: ['endpoints[1]: duplicates endpoints[0] (10.0.0.1 port 80)'] },
  { name: 'an env name with a dash', input: { env: { 'MY-VAR': '1' } }, errors: ['env.MY-VAR: must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got "MY-VAR"'] },
  { name: 'a non-string env value', input: { env: { PORT: 8080 } }, errors: ['env.PORT: must be a string, got 8080'] },
  { name: 'args that are not strings', input: { args: ['a', 1] }, errors: ['args[1]: must be a string, got 1'] },
  { name: 'an empty command', input: { command: '' }, errors: ['command: must be 1–4096 characters, got 0'] },
  { name: 'unknown fields', input: { image: 'nginx' }, errors: ['image: is not a known field (allowed: command, args, env, endpoints)'] },
];

for (const c of cases) {
  test(`validateCreateRevision: ${c.name}`, () => {
    const r = validateCreateRevision(c.input);
    if (c.errors === undefined) assert.ok(r.ok, `unexpected errors: ${!r.ok ? JSON.stringify(r.errors) : ''}`);
    else {
      assert.ok(!r.ok, 'expected errors');
      assert.deepEqual(r.errors.map((e) => `${e.path}: ${e.message}`), c.errors);
    }
  });
}

test('validateCreateRevision fills absent fields', () => {
  const r = validateCreateRevision({ endpoints: [{ address: '127.0.0.1', port: 9000 }] });
  assert.ok(r.ok);
  assert.deepEqual(r.value, { command: null, args: [], env: {}, endpoints: [{ address: '127.0.0.1', port: 9000 }] });
});
