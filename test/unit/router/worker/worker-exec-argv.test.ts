import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WORKER_SEMI_SPACE_MIB, workerExecArgv } from '../../../../src/router/worker/worker-exec-argv.js';

const ours = `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`;

test('workers get a small young generation after the primary flags', () => {
  assert.deepEqual(workerExecArgv([], undefined), [ours]);
  assert.deepEqual(workerExecArgv(['--enable-source-maps'], ''), ['--enable-source-maps', ours]);
});

test("the operator's semi-space choice wins, on the command line or in NODE_OPTIONS", () => {
  assert.deepEqual(workerExecArgv(['--max-semi-space-size=32'], undefined), ['--max-semi-space-size=32']);
  assert.deepEqual(workerExecArgv(['--min_semi_space_size=8'], undefined), ['--min_semi_space_size=8']);
  assert.deepEqual(workerExecArgv([], '--inspect --max-semi-space-size 16'), []);
  // A flag that merely contains the words is not a choice.
  assert.deepEqual(workerExecArgv(['--max-semi-space-size-ish=1'], undefined), ['--max-semi-space-size-ish=1', ours]);
});
