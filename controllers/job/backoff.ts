// The pod-recreation back-off after failures (pkg/controller/job/backoff_utils.go): 10 s doubled
// per consecutive failure since the last success, at most 10 min, counted from the last failure.

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime: number;
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 10_000, maxMs: 600_000 };

/** The record after some pods finished: a success resets it, failures extend it. */
export function nextBackoffRecord(prev: BackoffRecord | undefined, finished: Array<{ failed: boolean; at: number }>): BackoffRecord {
  let rec = prev ?? { failuresAfterLastSuccess: 0, lastFailureTime: 0 };
  for (const f of [...finished].sort((a, b) => a.at - b.at)) {
    rec = f.failed
      ? { failuresAfterLastSuccess: rec.failuresAfterLastSuccess + 1, lastFailureTime: Math.max(rec.lastFailureTime, f.at) }
      : { failuresAfterLastSuccess: 0, lastFailureTime: rec.lastFailureTime };
  }
  return rec;
}

/** Milliseconds still to wait before creating a replacement pod (0: create now). */
export function remainingBackoff(rec: BackoffRecord | undefined, policy: BackoffPolicy, now: number): number {
  if (!rec || rec.failuresAfterLastSuccess === 0) return 0;
  const delay = Math.min(policy.baseMs * 2 ** (rec.failuresAfterLastSuccess - 1), policy.maxMs);
  return Math.max(0, rec.lastFailureTime + delay - now);
}
