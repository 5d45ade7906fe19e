/**
 * Reads and parses a JSON request body, bounded: an API body is small, so anything past
 * MAX_BODY_BYTES is refused (413) instead of buffered. An empty body is `undefined`.
 */
import { Buffer } from 'node:buffer';
import { ApiError } from './errors.js';
import type { ApiRequest } from './http-types.js';

export const MAX_BODY_BYTES = 1_048_576;

export async function readJsonBody(req: ApiRequest): Promise<unknown> {
  const type = headerValue(req.headers['content-type']);
  if (type !== undefined && type !== '' && !/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) {
    throw new ApiError('SY_ERR_UNSUPPORTED_MEDIA_TYPE', `the body must be application/json, got ${JSON.stringify(type)}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    // Close the connection after the answer: the rest of an oversized body is never read.
    if (size > MAX_BODY_BYTES) throw new ApiError('SY_ERR_PAYLOAD_TOO_LARGE', `the body must be at most ${MAX_BODY_BYTES} bytes`, [], { connection: 'close' });
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError('SY_ERR_INVALID_JSON', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
