/**
 * x-request-id values: random (version 4) UUIDs, as Envoy's UUID request-id extension makes them.
 *
 * `crypto.randomUUID()` assembles each id from twenty small strings (its pieces are concatenated,
 * then flattened when the header is written); here the hex digits go into one reused 36-byte
 * buffer and leave as one string. Random bytes come from the CSPRNG in blocks of POOL_IDS ids.
 */
import { randomFillSync } from 'node:crypto';
import { Buffer } from 'node:buffer';

const POOL_IDS = 256;
const pool = Buffer.allocUnsafeSlow(16 * POOL_IDS);
let next = POOL_IDS;
const text = Buffer.allocUnsafeSlow(36);
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Byte i of the 16 goes to text[OFFSET[i]] and the digit after it (dashes at 8, 13, 18, 23). */
const OFFSET = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
text[8] = text[13] = text[18] = text[23] = 0x2d; // '-'

export function randomRequestId(): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const base = 16 * next++;
  for (let i = 0; i < 16; i++) {
    let b = pool[base + i];
    if (i === 6) b = (b & 0x0f) | 0x40; // version 4
    else if (i === 8) b = (b & 0x3f) | 0x80; // RFC 4122 variant
    const at = OFFSET[i];
    text[at] = HEX[b >> 4];
    text[at + 1] = HEX[b & 0x0f];
  }
  return text.toString('latin1', 0, 36);
}
