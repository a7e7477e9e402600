// What the runtime keeps on disk under --root, so that a restarted runtime knows every sandbox
// and container (conmon keeps the containers themselves alive). One JSON file per object,
// written atomically (temp file + rename); the exit status comes from files conmon writes.
//
//   <root>/config.json                     runtime config (pod CIDR)
//   <root>/images/                         content store, image records, snapshots (images/store.ts)
//   <root>/sandboxes/<id>/sandbox.json     + hosts, resolv.conf, hostname
//   <root>/containers/<id>/container.json  + bundle/, upper/, work/, persist/ (exit, oom)
//   <root>/exits/<id>                      exit code, written by conmon when the process ends
//   <root>/attach/<id>                     conmon's link to the bundle (attach socket)
//   <root>/runc/                           runc's own state (--root), private to this runtime
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerConfig, PodSandboxConfig } from '../proto/index.js';
import type { ProcessSpec } from './images/process.js';

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  createdAt: number; // ns
  state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  hostNetwork: boolean;
  /** /run/netns/<name>, absent for host-network pods and when running without isolation. */
  netns?: string;
  ip?: string;
  /** The cgroup parent (relative path) under which the containers' cgroups live. */
  cgroupParent: string;
  /** The CRI runtime handler (RuntimeClass): '' for image containers, 'host' for the host's `/`. */
  runtimeHandler?: string;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  createdAt: number; // ns
  startedAt: number; // ns, 0 until started
  logPath: string;
  /** cgroupsPath given to runc. */
  cgroupPath: string;
  /** How it runs: isolated under conmon+runc, or a plain host process (no root or no runc). */
  mode: 'runc' | 'host';
  /** The image the root filesystem is made of (absent: the host's `/`, RuntimeClass host). */
  image?: { id: string; chainIds: string[] };
  /** What runs, resolved from the image config and the container config at creation. */
  process?: ProcessSpec;
  /** Set once StopContainer/RemoveContainer has been asked for; reason bookkeeping only. */
  stopRequested?: boolean;
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 1));
  renameSync(tmp, file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export class Layout {
  constructor(readonly root: string) {}
  get sandboxes(): string {
    return join(this.root, 'sandboxes');
  }
  get containers(): string {
    return join(this.root, 'containers');
  }
  get exits(): string {
    return join(this.root, 'exits');
  }
  /** conmon's attach sockets (it links <attach>/<id> to the bundle there). */
  get attach(): string {
    return join(this.root, 'attach');
  }
  get runcRoot(): string {
    return join(this.root, 'runc');
  }
  get cniData(): string {
    return join(this.root, 'cni');
  }
  sandboxDir(id: string): string {
    return join(this.sandboxes, id);
  }
  containerDir(id: string): string {
    return join(this.containers, id);
  }
  bundle(id: string): string {
    return join(this.containerDir(id), 'bundle');
  }
  rootfs(id: string): string {
    return join(this.bundle(id), 'rootfs');
  }
  persist(id: string): string {
    return join(this.containerDir(id), 'persist');
  }
  exitFile(id: string): string {
    return join(this.exits, id);
  }
  ensure(): void {
    for (const dir of [this.root, this.sandboxes, this.containers, this.exits, this.attach, this.runcRoot, this.cniData]) mkdirSync(dir, { recursive: true });
  }
}

export interface RuntimeSettings {
  podCidr?: string;
}

/** In-memory index of the records, loaded from disk at start and written through on change. */
export class StateStore {
  readonly sandboxes = new Map<string, SandboxRecord>();
  readonly containers = new Map<string, ContainerRecord>();
  settings: RuntimeSettings = {};

  constructor(readonly layout: Layout) {
    layout.ensure();
    this.settings = readJson<RuntimeSettings>(join(layout.root, 'config.json')) ?? {};
    for (const id of readdirSync(layout.sandboxes)) {
      const rec = readJson<SandboxRecord>(join(layout.sandboxDir(id), 'sandbox.json'));
      if (rec) this.sandboxes.set(rec.id, rec);
    }
    for (const id of readdirSync(layout.containers)) {
      const rec = readJson<ContainerRecord>(join(layout.containerDir(id), 'container.json'));
      if (rec) this.containers.set(rec.id, rec);
    }
  }

  saveSettings(): void {
    writeJsonAtomic(join(this.layout.root, 'config.json'), this.settings);
  }

  saveSandbox(rec: SandboxRecord): void {
    mkdirSync(this.layout.sandboxDir(rec.id), { recursive: true });
    writeJsonAtomic(join(this.layout.sandboxDir(rec.id), 'sandbox.json'), rec);
    this.sandboxes.set(rec.id, rec);
  }

  saveContainer(rec: ContainerRecord): void {
    mkdirSync(this.layout.containerDir(rec.id), { recursive: true });
    writeJsonAtomic(join(this.layout.containerDir(rec.id), 'container.json'), rec);
    this.containers.set(rec.id, rec);
  }

  dropSandbox(id: string): void {
    rmSync(this.layout.sandboxDir(id), { recursive: true, force: true });
    this.sandboxes.delete(id);
  }

  dropContainer(id: string): void {
    rmSync(this.layout.containerDir(id), { recursive: true, force: true });
    rmSync(this.layout.exitFile(id), { force: true });
    rmSync(join(this.layout.attach, id), { force: true });
    this.containers.delete(id);
  }
}
