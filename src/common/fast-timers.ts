/**
 * Coarse timers for the request path, after undici's util/timers.js.
 *
 * Most proxy timeouts are long (route 15 s, stream idle 5 min, connection idle 1 h) and are almost
 * always cancelled before they fire. Arming a native timer per request costs a timer-list insert
 * and a closure; instead each owner keeps one reusable FastTimer and arms it with a deadline. One
 * shared interval (TICK_MS) scans the armed list and fires what is due, so firing is late by at
 * most 2 × TICK_MS (deadlines are reckoned from the last tick's clock). Timeouts shorter than
 * NATIVE_BELOW_MS use a native timer for precision.
 *
 *   armed: FastTimer[] (each knows its index)  ──tick every 100 ms──► fire those with deadline <= now
 *
 * The armed list is an array with swap-remove, not a Set, for the garbage collector's sake: a Set
 * re-hashes into a new table every few hundred add/delete pairs, and V8 links each retired table to
 * its successor and leaves its entries in place. Once one retired table was promoted, that chain
 * kept every later table — and the streams their timers point to — alive through each scavenge
 * until the next full GC: about 1 KB per request promoted and ~4 ms scavenges under load.
 */
const TICK_MS = 100;
const NATIVE_BELOW_MS = 1_000;

/** Something a FastTimer calls when it fires: an object with a method, so no closure is needed. */
export interface TimerTarget {
  onTimer(kind: number): void;
}

const armed: FastTimer[] = [];
let ticker: NodeJS.Timeout | null = null;
/** Updated each tick; a cheap "now" for deadlines. */
let nowMs = Date.now();

function removeArmed(timer: FastTimer): void {
  const i = timer.armedIndex;
  const last = armed.pop()!;
  if (last !== timer) {
    armed[i] = last;
    last.armedIndex = i;
  }
  timer.armedIndex = -1;
}

function tick(): void {
  nowMs = Date.now();
  // Backwards: a removal swaps in the last timer, which this walk has already seen. A timer
  // armed by a firing callback is appended behind the walk and waits for a later tick.
  for (let i = armed.length - 1; i >= 0; i--) {
    if (i >= armed.length) continue;
    const timer = armed[i];
    if (timer.deadlineMs <= nowMs) {
      removeArmed(timer);
      timer.fire();
    }
  }
  if (armed.length === 0 && ticker !== null) {
    clearInterval(ticker);
    ticker = null;
  }
}

/**
 * A reusable one-shot timer owned by one object (a stream, a connection). `arm` replaces any
 * previous deadline; `disarm` is free when not armed. Calls `target.onTimer(kind)` when it fires.
 */
export class FastTimer {
  deadlineMs = 0;
  /** @internal position in the armed list; -1 when not on it. */
  armedIndex = -1;
  private native: NodeJS.Timeout | null = null;
  private readonly target: TimerTarget;
  private readonly kind: number;
  /** Made on the first short (native) arm only: most timers never need a closure. */
  private fireBound: (() => void) | null = null;

  constructor(target: TimerTarget, kind: number) {
    this.target = target;
    this.kind = kind;
  }

  get armed(): boolean {
    return this.native !== null || this.armedIndex >= 0;
  }

  arm(delayMs: number): void {
    this.disarm();
    if (delayMs <= 0) return;
    if (delayMs < NATIVE_BELOW_MS) {
      this.native = setTimeout((this.fireBound ??= () => this.fire()), delayMs);
      this.native.unref();
      return;
    }
    // With the ticker running, "now" is its last tick's (≤ TICK_MS old): one TICK_MS more keeps the
    // timer from firing early, and saves a clock read on each of the several arms per request.
    if (ticker === null) {
      nowMs = Date.now();
      this.deadlineMs = nowMs + delayMs;
      ticker = setInterval(tick, TICK_MS);
      ticker.unref();
    } else {
      this.deadlineMs = nowMs + TICK_MS + delayMs;
    }
    this.armedIndex = armed.length;
    armed.push(this);
  }

  disarm(): void {
    if (this.native !== null) {
      clearTimeout(this.native);
      this.native = null;
    } else if (this.armedIndex >= 0) {
      removeArmed(this);
    }
    this.deadlineMs = 0;
  }

  /** @internal called by the ticker or the native timer. */
  fire(): void {
    this.native = null;
    this.deadlineMs = 0;
    this.target.onTimer(this.kind);
  }
}

/** The ticker's notion of now (ms since epoch), refreshed every TICK_MS; use where ±100 ms is fine. */
export function coarseNowMs(): number {
  return ticker === null ? Date.now() : nowMs;
}
