import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { FastTimer, type TimerTarget } from '../../../src/common/fast-timers.js';

/** Records which of its timers fired, and lets a test act inside a firing. */
class Recorder implements TimerTarget {
  readonly fired: number[] = [];
  onFire: ((kind: number) => void) | null = null;
  onTimer(kind: number): void {
    this.fired.push(kind);
    this.onFire?.(kind);
  }
}

// Deadlines of 1 s and more go on the shared armed list (shorter ones use native timers).
const LIST_DELAY_MS = 1_000;
const AFTER_TICK_MS = LIST_DELAY_MS + 350;

test('listed timers fire once when due; disarmed ones never; `armed` tracks both', async () => {
  const target = new Recorder();
  const timers = Array.from({ length: 300 }, (_, i) => new FastTimer(target, i));
  for (const t of timers) t.arm(LIST_DELAY_MS);
  // Disarm every third one, from the middle and both ends of the list (swap-remove paths).
  for (let i = 0; i < timers.length; i += 3) timers[i].disarm();
  assert.equal(timers[0].armed, false);
  assert.equal(timers[1].armed, true);
  await sleep(AFTER_TICK_MS);
  const expected = timers.map((_, i) => i).filter((i) => i % 3 !== 0);
  assert.deepEqual([...target.fired].sort((a, b) => a - b), expected);
  for (const t of timers) assert.equal(t.armed, false);
});

test('a firing callback may disarm a due timer and arm new ones; each fires at most once', async () => {
  const target = new Recorder();
  const timers = Array.from({ length: 50 }, (_, i) => new FastTimer(target, i));
  for (const t of timers) t.arm(LIST_DELAY_MS);
  let rearmed = false;
  target.onFire = (kind) => {
    // The first timer to fire disarms every other even one (some already seen by the walk, some
    // not) and re-arms itself: the walk must neither fire a disarmed timer nor skip a due one.
    if (rearmed) return;
    rearmed = true;
    for (let i = 0; i < timers.length; i += 2) if (i !== kind) timers[i].disarm();
    timers[kind].arm(LIST_DELAY_MS);
  };
  await sleep(AFTER_TICK_MS);
  const firstKind = target.fired[0];
  const counts = new Map<number, number>();
  for (const k of target.fired) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (let i = 0; i < timers.length; i++) {
    const times = counts.get(i) ?? 0;
    if (i === firstKind) assert.equal(times, 1, 'the re-armed timer fired in the same tick');
    else if (i % 2 === 0) assert.equal(times, 0, `disarmed timer ${i} fired`);
    else assert.equal(times, 1, `odd timer ${i} was skipped`);
  }
  assert.equal(timers[firstKind].armed, true);
  timers[firstKind].disarm();
  assert.equal(timers[firstKind].armed, false);
});

test('re-arming moves the deadline; short delays use a native timer', async () => {
  const target = new Recorder();
  const moved = new FastTimer(target, 1);
  moved.arm(LIST_DELAY_MS);
  moved.arm(LIST_DELAY_MS * 5);
  const short = new FastTimer(target, 2);
  short.arm(20);
  assert.equal(short.armed, true);
  await sleep(AFTER_TICK_MS);
  assert.deepEqual(target.fired, [2]);
  assert.equal(moved.armed, true);
  moved.disarm();
  assert.equal(moved.armed, false);
});
