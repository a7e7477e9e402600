// Expectations, as upstream's UIDTrackingControllerExpectations: after a controller asks for N
// creations or for some pods to go, it does not trust its cache for that key again until the
// informer has shown all of it (or 5 minutes passed, in case an event was lost). This is what
// keeps a lagging cache from causing over-creation.

const ttlMs = 5 * 60_000;

interface Expected {
  adds: number;
  deletes: Set<string>;
  at: number;
}

export class Expectations {
  private readonly byKey = new Map<string, Expected>();

  constructor(private readonly ttl = ttlMs) {}

  /** True when nothing is outstanding (or the expectation expired): the cache can be trusted. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return Date.now() - e.at > this.ttl;
  }

  expect(key: string, adds: number, deletes: string[] = []): void {
    this.byKey.set(key, { adds, deletes: new Set(deletes), at: Date.now() });
  }

  creationObserved(key: string, n = 1): void {
    const e = this.byKey.get(key);
    if (e) e.adds -= n;
  }

  /** `podKey` was seen going (or will never go, after a failed delete). */
  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletes.delete(podKey);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }
}
