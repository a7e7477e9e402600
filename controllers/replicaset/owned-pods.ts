// Pod events routed to the key of the controller that owns them (by ownerReference kind),
// keeping that owner's expectations up to date: the wiring every pod-owning controller shares.
import type { Pod } from '../../api/index.js';
import { keyOf, ownerKey, type Informer } from '../../client/index.js';
import type { Expectations } from './expectations.js';

export function trackOwnedPods(pods: Informer<Pod>, kind: string, expectations: Expectations, enqueue: (key: string) => void): void {
  const toOwner = ownerKey(kind);
  const owner = (pod: Pod): string | undefined => {
    const key = toOwner(pod);
    return typeof key === 'string' ? key : undefined;
  };
  pods.on({
    add(pod) {
      const key = owner(pod);
      if (!key) return;
      if (!pod.metadata?.deletionTimestamp) expectations.creationObserved(key);
      enqueue(key);
    },
    update(oldPod, pod) {
      const key = owner(pod);
      if (!key) return;
      if (pod.metadata?.deletionTimestamp && !oldPod.metadata?.deletionTimestamp) expectations.deletionObserved(key, keyOf(pod));
      enqueue(key);
    },
    delete(pod) {
      const key = owner(pod);
      if (!key) return;
      expectations.deletionObserved(key, keyOf(pod));
      enqueue(key);
    },
  });
}
