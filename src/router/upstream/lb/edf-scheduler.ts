/**
 * Earliest-deadline-first scheduler, after envoy source/common/upstream/edf_scheduler.h.
 *
 * Each entry has a deadline; picking returns the entry with the smallest deadline and moves the
 * scheduler's clock to it. An entry of weight w re-added at clock t gets deadline t + 1/w, so over
 * time an entry is picked in proportion to its weight, and picks of different entries interleave
 * smoothly (a weight-3 and a weight-1 host give A A B A A A B A …, not A A A B in bursts).
 *
 *   heap (array, min at [0]) ordered by (deadline, order)
 *     order = insertion counter: equal deadlines are served first-in first-out, as Envoy's
 *     order_offset_, so equal weights degrade to plain round robin.
 *
 *   pickAndAdd():  e = heap[0]; clock = e.deadline
 *                  e.deadline = clock + 1/weight; e.order = nextOrder++; siftDown(0)
 *
 * pickAndAdd reuses the root entry in place (one sift-down, no allocation), which is the same as
 * Envoy's pick() followed by add(). The weight can be re-evaluated at that moment through a
 * callback, which least-request uses for weight / (active + 1)^bias.
 */

class EdfEntry<T> {
  deadline: number;
  order: number;
  weight: number;
  readonly item: T;
  constructor(deadline: number, order: number, weight: number, item: T) {
    this.deadline = deadline;
    this.order = order;
    this.weight = weight;
    this.item = item;
  }
}

export class EdfScheduler<T> {
  #heap: EdfEntry<T>[] = [];
  #clock = 0;
  #nextOrder = 0;

  /** Number of entries. */
  get size(): number {
    return this.#heap.length;
  }

  /** Adds `item` with deadline clock + 1/weight. `weight` must be > 0. */
  add(weight: number, item: T): void {
    const heap = this.#heap;
    heap.push(new EdfEntry(this.#clock + 1 / weight, this.#nextOrder++, weight, item));
    this.#siftUp(heap.length - 1);
  }

  /** The item that the next pick would return, or null when empty. Does not advance the clock. */
  peek(): T | null {
    return this.#heap.length === 0 ? null : this.#heap[0].item;
  }

  /**
   * Returns the earliest-deadline item and re-adds it. Its new weight is `weightOf(item)` when
   * given (it must return > 0), else the weight it was added with.
   */
  pickAndAdd(weightOf?: (item: T) => number): T | null {
    const heap = this.#heap;
    if (heap.length === 0) return null;
    const e = heap[0];
    this.#clock = e.deadline;
    if (weightOf !== undefined) e.weight = weightOf(e.item);
    e.deadline = this.#clock + 1 / e.weight;
    e.order = this.#nextOrder++;
    this.#siftDown(0);
    return e.item;
  }

  #less(a: EdfEntry<T>, b: EdfEntry<T>): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.order < b.order);
  }

  #siftUp(i: number): void {
    const heap = this.#heap;
    const e = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(e, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = e;
  }

  #siftDown(i: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const e = heap[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.#less(heap[child + 1], heap[child])) child++;
      if (!this.#less(heap[child], e)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = e;
  }
}
