import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWildcardAddress } from '../../../../src/router/listener/http-listener.js';

test('wildcard listener addresses: every spelling of "any address", and nothing else', () => {
  for (const host of ['0.0.0.0', '::', '0:0:0:0:0:0:0:0', '::0', '::ffff:0.0.0.0', '']) assert.equal(isWildcardAddress(host), true, host);
  for (const host of ['127.0.0.1', '::1', '10.0.0.0', 'fe80::1%eth0', '::ffff:127.0.0.1', '0.0.0.1']) assert.equal(isWildcardAddress(host), false, host);
});
