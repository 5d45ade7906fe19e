/**
 * The request body kept for replaying on a retry (Envoy's router buffers it in the decoding
 * buffer while a retry is possible). Chunks are kept by reference, not copied: the codecs hand
 * out buffers they never reuse. Bounded by per_request_buffer_limit_bytes: past the limit the
 * stream gives up on retries (Envoy retry_or_shadow_abandoned), it never stops reading.
 */
export class BodyBuffer {
  readonly chunks: Buffer[] = [];
  bytes = 0;

  constructor(readonly limitBytes: number) {}

  /** Keeps `chunk`; returns false once the buffered body exceeds the limit. */
  push(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return this.bytes <= this.limitBytes;
  }
}
