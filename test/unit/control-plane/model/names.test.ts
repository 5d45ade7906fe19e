import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDnsLabel, isIpAddress, isUnderBaseDomain, maxTagLength, serviceHost, serviceUrl, tagHost } from '../../../../src/control-plane/model/names.js';

test('serviceHost is <name>-<id>.<region>.<baseDomain> (DESIGN §3)', () => {
  assert.equal(serviceHost('web', 'k3f9a0b2', 'local', 'switchyard.localhost'), 'web-k3f9a0b2.local.switchyard.localhost');
});

for (const [port, url] of [
  [80, 'http://h.example'],
  [8080, 'http://h.example:8080'],
] as const) {
  test(`serviceUrl adds the port unless it is 80 (${port})`, () => assert.equal(serviceUrl('h.example', port), url));
}

test('tagHost prefixes <tag>---', () => assert.equal(tagHost('canary', 'web-x.local.d'), 'canary---web-x.local.d'));

test('the longest name and the longest tag still make one 63-character label', () => {
  const name = 'n'.repeat(40);
  const label = `${'t'.repeat(maxTagLength(name))}---${name}-${'i'.repeat(8)}`;
  assert.equal(label.length, 63);
  assert.equal(checkDnsLabel(label.replace(/---/, '-')), null);
});

for (const [value, ok] of [
  ['a', true],
  ['a-b-9', true],
  ['a--b', true],
  ['', false],
  ['-a', false],
  ['a-', false],
  ['A', false],
  ['a.b', false],
  ['a---b', false],
  ['x'.repeat(64), false],
] as const) {
  test(`checkDnsLabel(${JSON.stringify(value)}) ${ok ? 'accepts' : 'rejects'}`, () => assert.equal(checkDnsLabel(value) === null, ok));
}

for (const [value, ok] of [
  ['127.0.0.1', true],
  ['0.0.0.0', true],
  ['255.255.255.255', true],
  ['::1', true],
  ['2001:db8::8a2e:370:7334', true],
  ['::ffff:10.0.0.1', true],
  ['256.0.0.1', false],
  ['01.2.3.4', false],
  ['1.2.3', false],
  ['localhost', false],
  ['[::1]', false],
  ['::1/128', false],
  ['1:2:3:4:5:6:7:8:9', false],
] as const) {
  test(`isIpAddress(${JSON.stringify(value)}) is ${ok}`, () => assert.equal(isIpAddress(value), ok));
}

test('isUnderBaseDomain matches the base domain and its subdomains only', () => {
  assert.equal(isUnderBaseDomain('switchyard.localhost', 'switchyard.localhost'), true);
  assert.equal(isUnderBaseDomain('a.b.switchyard.localhost', 'switchyard.localhost'), true);
  assert.equal(isUnderBaseDomain('evilswitchyard.localhost', 'switchyard.localhost'), false);
});
