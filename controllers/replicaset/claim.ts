// Adoption and release, as upstream's ControllerRefManager: an owner keeps the objects it
// controls that still match its selector, releases those that stopped matching, and adopts
// matching orphans — but only after a fresh read shows the owner is still itself and not being
// deleted, so a stale cache never adopts into a dead owner.
import type { OwnerReference } from '../../api/index.js';
import type { LabelSelector } from '../../api/labels.js';
import { controllerOf, isNotFound, type KubeObject, type ResourceClient } from '../../client/index.js';
import { controllerRef } from './pods.js';

export interface ClaimOwner {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid: string;
  deleting: boolean;
}

export interface ClaimResult<T> {
  claimed: T[];
  errors: Error[];
}

/**
 * The objects among `candidates` that `owner` controls after adopting and releasing.
 * `readOwner` reads the owner afresh (at most once, before the first adoption): adoption goes
 * ahead only while it is still this uid and not being deleted.
 */
export async function claim<T extends KubeObject>(
  owner: ClaimOwner,
  selector: LabelSelector,
  candidates: T[],
  client: ResourceClient<T>,
  readOwner: () => Promise<KubeObject>,
): Promise<ClaimResult<T>> {
  const claimed: T[] = [];
  const errors: Error[] = [];
  let canAdopt: Promise<boolean> | undefined;
  const tasks: Promise<void>[] = [];
  for (const obj of candidates) {
    const ref = controllerOf(obj);
    const matches = selector.matches(obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== owner.uid) continue;
      if (matches || owner.deleting) {
        claimed.push(obj);
        continue;
      }
      tasks.push(setOwners(client, obj, (refs) => refs.filter((r) => r.uid !== owner.uid)).then(() => undefined, (err: Error) => void errors.push(err)));
      continue;
    }
    if (!matches || owner.deleting || obj.metadata?.deletionTimestamp) continue;
    canAdopt ??= stillOwner(owner, readOwner);
    tasks.push(
      (async () => {
        if (!(await canAdopt)) return;
        const ref = controllerRef(owner);
        const adopted = await setOwners(client, obj, (refs) => [...refs.filter((r) => r.uid !== owner.uid), ref]);
        if (adopted) claimed.push(adopted);
      })().catch((err: Error) => void errors.push(err)),
    );
  }
  await Promise.all(tasks);
  return { claimed, errors };
}

/**
 * Rewrites ownerReferences, guarded by the cached resourceVersion (a concurrent change makes
 * this fail and the caller retry with a fresher cache). Undefined if the object is gone.
 */
async function setOwners<T extends KubeObject>(client: ResourceClient<T>, obj: T, edit: (refs: OwnerReference[]) => OwnerReference[]): Promise<T | undefined> {
  const m = obj.metadata ?? {};
  const refs = edit(m.ownerReferences ?? []);
  const patch = [
    { op: 'test', path: '/metadata/resourceVersion', value: m.resourceVersion },
    { op: 'replace', path: '/metadata/ownerReferences', value: refs },
  ];
  if (!m.ownerReferences) patch[1] = { op: 'add', path: '/metadata/ownerReferences', value: refs };
  try {
    return await client.patch(m.namespace, m.name ?? '', patch, 'json');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function stillOwner(owner: ClaimOwner, read: () => Promise<KubeObject>): Promise<boolean> {
  try {
    const fresh = await read();
    return fresh.metadata?.uid === owner.uid && !fresh.metadata?.deletionTimestamp;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
