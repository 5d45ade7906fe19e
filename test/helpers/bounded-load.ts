/**
 * Bounded load: `total` requests with `concurrency` in flight, stopping early after `maxMs`.
 * Every loop in the suite that sends traffic goes through here, so none can run away.
 */
export interface LoadResult {
  sent: number;
  failed: number;
  errors: string[];
  elapsedMs: number;
}

export async function boundedLoad(
  total: number,
  concurrency: number,
  maxMs: number,
  send: (i: number) => Promise<boolean>,
): Promise<LoadResult> {
  const started = Date.now();
  const result: LoadResult = { sent: 0, failed: 0, errors: [], elapsedMs: 0 };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < total && Date.now() - started < maxMs) {
      const i = next++;
      result.sent++;
      try {
        if (!(await send(i))) result.failed++;
      } catch (err) {
        result.failed++;
        if (result.errors.length < 10) result.errors.push(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  result.elapsedMs = Date.now() - started;
  return result;
}
