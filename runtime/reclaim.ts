// What a runtime root leaves on the host when the runtime died without removing its pods (its
// launcher was SIGKILLed or OOM-killed): pod cgroups, pod network namespaces, runc's state and
// the records. `skiff down` and the clean-up before `skiff up` first kill the processes in
// `podCgroupDirs(root)`, then `reclaimRoot(root)` removes the rest, so the next runtime on this
// root starts empty, as after a clean stop, and the kubelet recreates the pods.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cgroupDirs, removeCgroup } from './cgroups.js';
import { netnsName, netnsPath } from './cni.js';
import { findBinary, runCommand } from './runc.js';
import { Layout, StateStore } from './state.js';

const ownCgroup = (parent: string): boolean => parent.startsWith('/skiff-pod-');

/** The cgroup directories of this root's pods (where their container processes are). */
export function podCgroupDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  const store = new StateStore(new Layout(root));
  return [...store.sandboxes.values()].filter((s) => ownCgroup(s.cgroupParent)).flatMap((s) => cgroupDirs(s.cgroupParent));
}

/**
 * Removes every pod of a dead runtime; returns what it removed, in words. Pod processes must be
 * gone and container root filesystems unmounted.
 */
export async function reclaimRoot(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  if (readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${root}/`)) throw new Error(`${root} still has mounts below it; unmount them first`);
  const layout = new Layout(root);
  const store = new StateStore(layout);
  const removed: string[] = [];
  const runc = findBinary('runc');
  for (const c of store.containers.values()) {
    if (c.mode === 'runc' && runc) await runCommand(runc, [`--root=${layout.runcRoot}`, 'delete', '--force', c.id], 10_000);
  }
  if (store.containers.size) removed.push(`${store.containers.size} container record(s)`);
  for (const s of store.sandboxes.values()) {
    const name = netnsName(s.id);
    if (s.netns && existsSync(netnsPath(name))) {
      await runCommand('ip', ['netns', 'delete', name], 10_000);
      removed.push(`netns ${name}`);
    }
    if (ownCgroup(s.cgroupParent) && cgroupDirs(s.cgroupParent).length) {
      removeCgroup(s.cgroupParent);
      removed.push(`cgroup ${s.cgroupParent}`);
    }
  }
  // Pod IPs (host-local's allocations) went with the pods.
  for (const dir of [layout.sandboxes, layout.containers, layout.exits, layout.attach, layout.runcRoot, layout.cniData]) rmSync(dir, { recursive: true, force: true });
  return removed;
}
