import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeaderValueOption } from '../../../../src/xds/resources/common.types.js';
import {
  applyHeaderMutations,
  compileHeaderMutationLevel,
  hasCommandOperator,
  removeHeader,
  setHeader,
} from '../../../../src/router/routing/header-mutations.js';
import { header } from './route-fixtures.js';

const cases: { name: string; add: HeaderValueOption[]; remove?: string[]; before: string[]; after: string[] }[] = [
  { name: 'append when absent adds', add: [header('x-a', '1')], before: [], after: ['x-a', '1'] },
  { name: 'append when present adds another', add: [header('x-a', '2')], before: ['x-a', '1'], after: ['x-a', '1', 'x-a', '2'] },
  { name: 'add_if_absent skips a present header', add: [header('x-a', '2', 'ADD_IF_ABSENT')], before: ['x-a', '1'], after: ['x-a', '1'] },
  { name: 'add_if_absent adds an absent header', add: [header('x-a', '2', 'ADD_IF_ABSENT')], before: [], after: ['x-a', '2'] },
  { name: 'overwrite_if_exists_or_add replaces all values', add: [header('x-a', '9', 'OVERWRITE_IF_EXISTS_OR_ADD')], before: ['x-a', '1', 'y', 'y', 'x-a', '2'], after: ['x-a', '9', 'y', 'y'] },
  { name: 'overwrite_if_exists_or_add adds', add: [header('x-a', '9', 'OVERWRITE_IF_EXISTS_OR_ADD')], before: [], after: ['x-a', '9'] },
  { name: 'overwrite_if_exists skips an absent header', add: [header('x-a', '9', 'OVERWRITE_IF_EXISTS')], before: [], after: [] },
  { name: 'overwrite_if_exists replaces', add: [header('x-a', '9', 'OVERWRITE_IF_EXISTS')], before: ['x-a', '1'], after: ['x-a', '9'] },
  { name: 'empty value skipped unless keep_empty_value', add: [header('x-a', ''), header('x-b', '', 'APPEND_IF_EXISTS_OR_ADD', true)], before: [], after: ['x-b', ''] },
  { name: 'removals run before additions', add: [header('x-a', 'new', 'ADD_IF_ABSENT')], remove: ['x-a'], before: ['x-a', 'old'], after: ['x-a', 'new'] },
  {
    name: 'additions are decided against the headers before this level writes',
    add: [header('x-a', '1'), header('x-a', '2', 'ADD_IF_ABSENT')],
    before: [],
    after: ['x-a', '1', 'x-a', '2'],
  },
  { name: 'overwrites land before appends', add: [header('x-b', 'b'), header('x-a', 'a', 'OVERWRITE_IF_EXISTS_OR_ADD')], before: [], after: ['x-a', 'a', 'x-b', 'b'] },
  { name: 'escaped %% in a static value', add: [header('x-p', '100%%')], before: [], after: ['x-p', '100%'] },
];
for (const c of cases) {
  test(`header mutations: ${c.name}`, () => {
    const level = compileHeaderMutationLevel(c.add, c.remove ?? []);
    assert.ok(level !== null);
    const headers = [...c.before];
    applyHeaderMutations(headers, level);
    assert.deepEqual(headers, c.after);
  });
}

test('header mutations: dynamic values go through the compiled formatter, then the evaluator', () => {
  const formatted = compileHeaderMutationLevel([header('x-ip', '%DOWNSTREAM_REMOTE_ADDRESS%')], [], (v) => ({ format: (ctx) => `${v}@${(ctx as { ip: string }).ip}` }))!;
  assert.equal(formatted.add[0].dynamic, true);
  const h1: string[] = [];
  applyHeaderMutations(h1, formatted, { ip: '1.2.3.4' });
  assert.deepEqual(h1, ['x-ip', '%DOWNSTREAM_REMOTE_ADDRESS%@1.2.3.4']);
  const plain = compileHeaderMutationLevel([header('x-ip', '%DOWNSTREAM_REMOTE_ADDRESS%')], [])!;
  const h2: string[] = [];
  applyHeaderMutations(h2, plain, null, (v) => (v === '%DOWNSTREAM_REMOTE_ADDRESS%' ? '5.6.7.8' : v));
  assert.deepEqual(h2, ['x-ip', '5.6.7.8']);
  const h3: string[] = [];
  applyHeaderMutations(h3, plain);
  assert.deepEqual(h3, ['x-ip', '%DOWNSTREAM_REMOTE_ADDRESS%']);
});

test('header mutations: command operator detection', () => {
  for (const v of ['%START_TIME%', 'a %REQ(x-foo)% b', '%REQ(x):10%', '%UPSTREAM_HOST%']) assert.equal(hasCommandOperator(v), true, v);
  for (const v of ['100%', '%%START%%', 'plain', '%lower%', '%%']) assert.equal(hasCommandOperator(v), false, v);
});

test('header mutations: empty level compiles to null; list helpers', () => {
  assert.equal(compileHeaderMutationLevel([], []), null);
  const h = ['a', '1', 'b', '2', 'a', '3'];
  removeHeader(h, 'a');
  assert.deepEqual(h, ['b', '2']);
  setHeader(h, 'c', '4');
  assert.deepEqual(h, ['b', '2', 'c', '4']);
});
