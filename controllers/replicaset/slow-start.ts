// Upstream's slowStartBatch: run `count` calls in batches of 1, 2, 4, … (each batch in
// parallel), stopping at the first batch with a failure, so a create that fails for every pod
// (quota, a broken template) fails once instead of N times.

export interface BatchResult {
  succeeded: number;
  /** Calls never attempted because an earlier batch failed. */
  skipped: number;
  error: Error | undefined;
}

export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<BatchResult> {
  let remaining = count;
  let succeeded = 0;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    succeeded += batch - failed.length;
    remaining -= batch;
    if (failed.length > 0) {
      const reason: unknown = failed[0]?.reason;
      return { succeeded, skipped: remaining, error: reason instanceof Error ? reason : new Error(String(reason)) };
    }
  }
  return { succeeded, skipped: 0, error: undefined };
}
