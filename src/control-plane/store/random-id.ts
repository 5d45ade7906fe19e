/** Random ids for services and tenants: 8 lowercase base-36 characters (~41 bits; the store retries a collision). */
import { randomBytes } from 'node:crypto';

const ID_CHARS = '0123456789abcdefghijklmnopqrstuvwxyz';
export const ID_LENGTH = 8;

export function randomId(): string {
  const bytes = randomBytes(ID_LENGTH);
  let id = '';
  for (const b of bytes) id += ID_CHARS[b % 36]; // the modulo bias (256 % 36 ≠ 0) is harmless for ids
  return id;
}
