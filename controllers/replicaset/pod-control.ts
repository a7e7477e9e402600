// Creating and deleting an owner's pods with Events and expectations, as upstream's PodControl:
// creates go in slow-start batches; a create or delete that fails is no longer expected.
import type { Pod } from '../../api/index.js';
import { isNotFound, keyOf, type Clientset, type EventRecorder, type KubeObject } from '../../client/index.js';
import type { Expectations } from './expectations.js';
import { slowStartBatch } from './slow-start.js';

export interface PodControl {
  clientset: Clientset;
  recorder: EventRecorder;
  expectations: Expectations;
  /** The owner as Events name it (apiVersion and kind set). */
  owner: KubeObject;
  /** The owner's expectations key. */
  key: string;
}

/** Creates one pod per item (built by `build`); the first error, if any. */
export async function createOwnedPods<I>(c: PodControl, items: I[], build: (item: I) => Pod): Promise<Error | undefined> {
  c.expectations.expect(c.key, items.length);
  let next = 0;
  const result = await slowStartBatch(items.length, 1, async () => {
    const pod = build(items[next++]!);
    try {
      const created = await c.clientset.pods.create(pod.metadata?.namespace, pod);
      c.recorder.event(c.owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
    } catch (err) {
      c.expectations.creationObserved(c.key);
      c.recorder.event(c.owner, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      throw err;
    }
  });
  if (result.skipped > 0) c.expectations.creationObserved(c.key, result.skipped);
  return result.error;
}

/** Deletes the pods (already gone is fine); the first error, if any. */
export async function deleteOwnedPods(c: PodControl, pods: Pod[]): Promise<Error | undefined> {
  if (pods.length === 0) return undefined;
  c.expectations.expect(c.key, 0, pods.map((p) => keyOf(p)));
  const errors: Error[] = [];
  await Promise.all(pods.map(async (pod) => {
    try {
      await c.clientset.pods.delete(pod.metadata?.namespace, pod.metadata?.name ?? '');
      c.recorder.event(c.owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name}`);
    } catch (err) {
      c.expectations.deletionObserved(c.key, keyOf(pod));
      if (isNotFound(err)) return;
      c.recorder.event(c.owner, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
      errors.push(err as Error);
    }
  }));
  return errors[0];
}
