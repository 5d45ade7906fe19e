import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCreateDomain } from '../../../../src/control-plane/model/validate-domain.js';
import { validateCreateTenant } from '../../../../src/control-plane/model/validate-tenant.js';

const BASE = 'switchyard.localhost';

const domainCases: { name: string; input: unknown; value?: string; errors?: string[] }[] = [
  { name: 'a plain domain', input: { name: 'app.example.com' }, value: 'app.example.com' },
  { name: 'uppercase is lowercased', input: { name: 'App.Example.COM' }, value: 'app.example.com' },
  { name: 'a trailing root dot is dropped', input: { name: 'example.org.' }, value: 'example.org' },
  { name: 'a single label', input: { name: 'localhost' }, errors: ['name: must be a fully qualified domain name such as "app.example.com", got "localhost"'] },
  { name: 'a wildcard', input: { name: '*.example.com' }, errors: ['name: wildcard domains are not supported, got "*.example.com"'] },
  { name: 'an empty label', input: { name: 'a..com' }, errors: ['name: must be a domain name of lowercase labels (letters, digits, inner \'-\'), 1–63 characters each, got "a..com"'] },
  { name: 'an IP address', input: { name: '10.0.0.1' }, errors: ['name: must be a domain name, not an IP address, got "10.0.0.1"'] },
  { name: 'a label with a leading dash', input: { name: '-a.example.com' }, errors: ['name: must be a domain name of lowercase labels (letters, digits, inner \'-\'), 1–63 characters each, got "-a.example.com"'] },
  { name: 'the base domain itself', input: { name: BASE }, errors: [`name: must not be under the platform's base domain "${BASE}", got "${BASE}"`] },
  { name: 'a host under the base domain (another service’s URL)', input: { name: `web-abc12345.local.${BASE}` }, errors: [`name: must not be under the platform's base domain "${BASE}", got "web-abc12345.local.${BASE}"`] },
  { name: 'a name that only ends like the base domain', input: { name: `my${BASE}` }, value: `my${BASE}` },
  { name: 'name is required', input: {}, errors: ['name: is required'] },
  { name: 'unknown fields', input: { name: 'a.com', verified: true }, errors: ['verified: is not a known field (allowed: name)'] },
];

for (const c of domainCases) {
  test(`validateCreateDomain: ${c.name}`, () => {
    const r = validateCreateDomain(c.input, BASE);
    if (c.errors === undefined) {
      assert.ok(r.ok, `unexpected errors: ${!r.ok ? JSON.stringify(r.errors) : ''}`);
      assert.equal(r.value.name, c.value);
    } else {
      assert.ok(!r.ok, 'expected errors');
      assert.deepEqual(r.errors.map((e) => `${e.path}: ${e.message}`), c.errors);
    }
  });
}

const tenantCases: { name: string; input: unknown; errors?: string[] }[] = [
  { name: 'a DNS label', input: { name: 'acme' } },
  { name: 'name is required', input: {}, errors: ['name: is required'] },
  { name: 'uppercase', input: { name: 'Acme' }, errors: ['name: must contain only lowercase letters, digits and \'-\', got "Acme"'] },
  { name: 'too long', input: { name: 'a'.repeat(41) }, errors: ['name: must be 1–40 characters, got 41'] },
  { name: 'unknown fields', input: { name: 'acme', token: 'x' }, errors: ['token: is not a known field (allowed: name)'] },
];

for (const c of tenantCases) {
  test(`validateCreateTenant: ${c.name}`, () => {
    const r = validateCreateTenant(c.input);
    if (c.errors === undefined) assert.ok(r.ok);
    else {
      assert.ok(!r.ok, 'expected errors');
      assert.deepEqual(r.errors.map((e) => `${e.path}: ${e.message}`), c.errors);
    }
  });
}
