import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scheduleDeferredFlush, type DeferredWriter } from '../../../src/common/write-batch.js';

function writer(name: string, log: string[]): DeferredWriter {
  return { flushDeferred: () => log.push(name) };
}

test('deferred writes are flushed together at the end of the turn, in the order they were deferred', async () => {
  const log: string[] = [];
  scheduleDeferredFlush(writer('a', log));
  scheduleDeferredFlush(writer('b', log));
  await Promise.resolve();
  process.nextTick(() => log.push('tick'));
  assert.deepEqual(log, [], 'nothing is written while the turn runs');
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['tick', 'a', 'b']);
});

test('a writer deferred again after a flush is flushed again in the next turn', async () => {
  const log: string[] = [];
  const w = writer('w', log);
  scheduleDeferredFlush(w);
  await new Promise<void>((resolve) => setImmediate(resolve));
  scheduleDeferredFlush(w);
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['w', 'w']);
});

test('a writer that throws does not keep the others from being flushed', async () => {
  const log: string[] = [];
  scheduleDeferredFlush(writer('a', log));
  scheduleDeferredFlush({
    flushDeferred: () => {
      throw new Error('boom');
    },
  });
  scheduleDeferredFlush(writer('c', log));
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['a', 'c']);
});
