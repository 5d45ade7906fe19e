import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WORKER_SEMI_SPACE_MIB, workerExecArgv } from '../../../../src/router/worker/worker-exec-argv.js';

const semi = `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`;
const gc = '--single-threaded-gc';

test('workers get a small young generation and a main-thread collector after the primary flags', () => {
  assert.deepEqual(workerExecArgv([], undefined), [semi, gc]);
  assert.deepEqual(workerExecArgv(['--enable-source-maps'], ''), ['--enable-source-maps', semi, gc]);
});

test("the operator's semi-space choice wins, on the command line or in NODE_OPTIONS", () => {
  assert.deepEqual(workerExecArgv(['--max-semi-space-size=32'], undefined), ['--max-semi-space-size=32', gc]);
  assert.deepEqual(workerExecArgv(['--min_semi_space_size=8'], undefined), ['--min_semi_space_size=8', gc]);
  assert.deepEqual(workerExecArgv([], '--inspect --max-semi-space-size 16'), [gc]);
  // A flag that merely contains the words is not a choice.
  assert.deepEqual(workerExecArgv(['--max-semi-space-size-ish=1'], undefined), ['--max-semi-space-size-ish=1', semi, gc]);
});

test("the operator's GC threading choice wins", () => {
  assert.deepEqual(workerExecArgv(['--no-single-threaded-gc'], undefined), ['--no-single-threaded-gc', semi]);
  assert.deepEqual(workerExecArgv(['--single-threaded'], undefined), ['--single-threaded', semi]);
  assert.deepEqual(workerExecArgv([], '--single_threaded_gc'), [semi]);
});
