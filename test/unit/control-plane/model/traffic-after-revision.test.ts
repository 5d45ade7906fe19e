import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trafficAfterRevision } from '../../../../src/control-plane/model/traffic-after-revision.js';
import type { TrafficTarget } from '../../../../src/control-plane/model/types.js';

const ALL = { strategy: 'all-at-once' } as const;
const MANUAL = { strategy: 'manual' } as const;
const split: TrafficTarget[] = [
  { revision: 'rev-1', percent: 90, tag: null },
  { revision: 'rev-2', percent: 10, tag: 'canary' },
];

const cases: { name: string; current: TrafficTarget[]; endpoints: number; deployment: typeof ALL | typeof MANUAL; expected: TrafficTarget[] | null }[] = [
  { name: 'the first revision gets 100% even without endpoints', current: [], endpoints: 0, deployment: MANUAL, expected: [{ revision: 'rev-3', percent: 100, tag: null }] },
  { name: "'all-at-once' moves 100% and keeps tags at 0%", current: split, endpoints: 1, deployment: ALL, expected: [{ revision: 'rev-3', percent: 100, tag: null }, { revision: 'rev-2', percent: 0, tag: 'canary' }] },
  { name: "'all-at-once' leaves traffic when the revision has no endpoints", current: split, endpoints: 0, deployment: ALL, expected: null },
  { name: "'manual' leaves traffic", current: split, endpoints: 3, deployment: MANUAL, expected: null },
];

for (const c of cases) {
  test(`trafficAfterRevision: ${c.name}`, () => {
    assert.deepEqual(trafficAfterRevision(c.current, { name: 'rev-3', endpointCount: c.endpoints }, c.deployment), c.expected);
  });
}
