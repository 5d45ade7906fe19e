import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateTraffic } from '../../../../src/control-plane/model/validate-traffic.js';

const ctx = { serviceName: 'web', revisions: ['rev-1', 'rev-2', 'rev-3'] };

interface Case {
  name: string;
  input: unknown;
  context?: { serviceName: string; revisions: string[] };
  errors?: string[];
}

const cases: Case[] = [
  { name: 'one revision at 100%', input: { targets: [{ revision: 'rev-1', percent: 100 }] } },
  { name: 'a split with a tag and a 0% tagged target', input: { targets: [{ revision: 'rev-1', percent: 90 }, { revision: 'rev-2', percent: 10, tag: 'canary' }, { revision: 'rev-3', percent: 0, tag: 'next' }] } },
  { name: 'tag null is no tag', input: { targets: [{ revision: 'rev-1', percent: 100, tag: null }] } },
  { name: 'targets is required', input: {}, errors: ['targets: is required'] },
  { name: 'an empty list', input: { targets: [] }, errors: ['targets: must have at least 1 item, got 0'] },
  { name: 'percents that do not sum to 100', input: { targets: [{ revision: 'rev-1', percent: 50 }, { revision: 'rev-2', percent: 40 }] }, errors: ['targets: percents must sum to 100, got 90'] },
  { name: 'a fractional percent (and no sum error on top)', input: { targets: [{ revision: 'rev-1', percent: 50 }, { revision: 'rev-2', percent: 50.5 }] }, errors: ['targets[1].percent: must be an integer, got 50.5'] },
  { name: 'a percent above 100', input: { targets: [{ revision: 'rev-1', percent: 101 }] }, errors: ['targets[0].percent: must be 0–100, got 101'] },
  { name: 'an unknown revision', input: { targets: [{ revision: 'rev-9', percent: 100 }] }, errors: ['targets[0].revision: unknown revision "rev-9" (the service has rev-1, rev-2, rev-3)'] },
  { name: 'a service without revisions', input: { targets: [{ revision: 'rev-1', percent: 100 }] }, context: { serviceName: 'web', revisions: [] }, errors: ['targets[0].revision: unknown revision "rev-1" (the service has no revisions yet)'] },
  { name: 'a malformed revision name', input: { targets: [{ revision: 'v1', percent: 100 }] }, errors: ['targets[0].revision: must be a revision name such as "rev-1", got "v1"'] },
  { name: 'a revision listed twice', input: { targets: [{ revision: 'rev-1', percent: 50 }, { revision: 'rev-1', percent: 50, tag: 'x' }] }, errors: ['targets[1].revision: duplicates targets[0].revision; list each revision once'] },
  { name: 'a tag used twice', input: { targets: [{ revision: 'rev-1', percent: 50, tag: 'a' }, { revision: 'rev-2', percent: 50, tag: 'a' }] }, errors: ['targets[1].tag: duplicates targets[0].tag "a"'] },
  { name: 'a tag that is not a DNS label', input: { targets: [{ revision: 'rev-1', percent: 100, tag: 'Blue_1' }] }, errors: ['targets[0].tag: must contain only lowercase letters, digits and \'-\', got "Blue_1"'] },
  { name: "a tag with '---'", input: { targets: [{ revision: 'rev-1', percent: 100, tag: 'a---b' }] }, errors: ["targets[0].tag: must not contain '---' (it separates revision tags from the service host), got \"a---b\""] },
  {
    name: 'a tag too long for one label with this service name',
    input: { targets: [{ revision: 'rev-1', percent: 100, tag: 'abcdefghijkl' }] },
    context: { serviceName: 'a'.repeat(40), revisions: ['rev-1'] },
    errors: [`targets[0].tag: must be at most 11 characters so "<tag>---${'a'.repeat(40)}-<id>" fits one 63-character DNS label, got 12`],
  },
  { name: 'unknown fields in a target', input: { targets: [{ revision: 'rev-1', percent: 100, weight: 1 }] }, errors: ['targets[0].weight: is not a known field (allowed: revision, percent, tag)'] },
  {
    name: 'every error of a bad body at once, with its path',
    input: { targets: [{ revision: 'rev-1', percent: 60 }, { revision: 'rev-1', percent: 'ten', tag: 'Bad' }, { revision: 'rev-7', percent: 10 }] },
    errors: [
      'targets[1].percent: must be an integer, got "ten"',
      'targets[1].tag: must contain only lowercase letters, digits and \'-\', got "Bad"',
      'targets[1].revision: duplicates targets[0].revision; list each revision once',
      'targets[2].revision: unknown revision "rev-7" (the service has rev-1, rev-2, rev-3)',
    ],
  },
];

for (const c of cases) {
  test(`validateTraffic: ${c.name}`, () => {
    const r = validateTraffic(c.input, c.context ?? ctx);
    if (c.errors === undefined) assert.ok(r.ok, `unexpected errors: ${!r.ok ? JSON.stringify(r.errors) : ''}`);
    else {
      assert.ok(!r.ok, 'expected errors');
      assert.deepEqual(r.errors.map((e) => `${e.path}: ${e.message}`), c.errors);
    }
  });
}

test('validateTraffic normalizes absent tags to null and keeps the order', () => {
  const r = validateTraffic({ targets: [{ revision: 'rev-2', percent: 30 }, { revision: 'rev-1', percent: 70, tag: 'old' }] }, ctx);
  assert.ok(r.ok);
  assert.deepEqual(r.value, [{ revision: 'rev-2', percent: 30, tag: null }, { revision: 'rev-1', percent: 70, tag: 'old' }]);
});
