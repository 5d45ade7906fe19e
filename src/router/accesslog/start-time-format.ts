/**
 * %START_TIME(spec)%: a strftime subset in UTC, compiled once into segments.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#config-access-log-format-start-time
 *
 * Supported: %Y %y %m %d %e %H %I %M %S %p %j %a %A %b %B %h %F %T %D %R %z (+0000) %Z (UTC)
 * %n %t %%, Envoy's %s (epoch seconds), %f / %1f … %9f (fraction of the second, default 9
 * digits) and %E3S / %E6S / %E9S (seconds with N fraction digits). Any other specifier is kept
 * literally. Times have millisecond precision, so digits past the third are zeros.
 */

let lastDefaultMs = NaN;
let lastDefaultText = '';

/**
 * Envoy's default START_TIME rendering: 2024-01-01T00:00:00.000Z (UTC, milliseconds). Under load
 * many requests start in the same millisecond, so the last answer is kept.
 */
export function formatDefaultStartTime(ms: number): string {
  if (ms !== lastDefaultMs) {
    lastDefaultText = new Date(ms).toISOString();
    lastDefaultMs = ms;
  }
  return lastDefaultText;
}

type Segment = string | ((d: Date, ms: number) => string);

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const pad3 = (n: number): string => String(n).padStart(3, '0');

/** 9 fraction digits of a millisecond time, truncated to `digits`. */
function fraction(ms: number, digits: number): string {
  const millis = ((ms % 1000) + 1000) % 1000;
  return (pad3(Math.floor(millis)) + '000000').slice(0, digits);
}

const SIMPLE: Record<string, (d: Date, ms: number) => string> = {
  Y: (d) => String(d.getUTCFullYear()),
  y: (d) => pad2(d.getUTCFullYear() % 100),
  m: (d) => pad2(d.getUTCMonth() + 1),
  d: (d) => pad2(d.getUTCDate()),
  e: (d) => String(d.getUTCDate()).padStart(2, ' '),
  H: (d) => pad2(d.getUTCHours()),
  I: (d) => pad2(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12),
  M: (d) => pad2(d.getUTCMinutes()),
  S: (d) => pad2(d.getUTCSeconds()),
  p: (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
  j: (d) => pad3(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1),
  a: (d) => DAYS[d.getUTCDay()].slice(0, 3),
  A: (d) => DAYS[d.getUTCDay()],
  b: (d) => MONTHS[d.getUTCMonth()].slice(0, 3),
  h: (d) => MONTHS[d.getUTCMonth()].slice(0, 3),
  B: (d) => MONTHS[d.getUTCMonth()],
  F: (d) => `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
  T: (d) => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`,
  R: (d) => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`,
  D: (d) => `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${pad2(d.getUTCFullYear() % 100)}`,
  z: () => '+0000',
  Z: () => 'UTC',
  s: (_d, ms) => String(Math.floor(ms / 1000)),
  f: (_d, ms) => fraction(ms, 9),
  n: () => '\n',
  t: () => '\t',
  '%': () => '%',
};

/** A compiled START_TIME spec: `format(epochMs)`; remembers its last answer (same ms → same text). */
export class StartTimeFormat {
  private readonly segments: readonly Segment[];
  private lastMs = NaN;
  private lastText = '';

  constructor(spec: string) {
    this.segments = compileSpec(spec);
  }

  format(ms: number): string {
    if (ms === this.lastMs) return this.lastText;
    const d = new Date(ms);
    let out = '';
    for (const seg of this.segments) out += typeof seg === 'string' ? seg : seg(d, ms);
    this.lastMs = ms;
    this.lastText = out;
    return out;
  }
}

function compileSpec(spec: string): Segment[] {
  const segments: Segment[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') segments.push(literal);
    literal = '';
  };
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c !== '%' || i + 1 >= spec.length) {
      literal += c;
      continue;
    }
    const next = spec[i + 1];
    // %1f … %9f
    if (next >= '1' && next <= '9' && spec[i + 2] === 'f') {
      const digits = Number(next);
      flush();
      segments.push((_d, ms) => fraction(ms, digits));
      i += 2;
      continue;
    }
    // %E3S, %E6S, %E9S…: seconds with N fraction digits
    if (next === 'E' && spec[i + 2] >= '1' && spec[i + 2] <= '9' && spec[i + 3] === 'S') {
      const digits = Number(spec[i + 2]);
      flush();
      segments.push((d, ms) => `${pad2(d.getUTCSeconds())}.${fraction(ms, digits)}`);
      i += 3;
      continue;
    }
    const fn = SIMPLE[next];
    if (fn === undefined) {
      literal += c + next;
    } else {
      flush();
      segments.push(fn);
    }
    i += 1;
  }
  flush();
  return segments;
}
