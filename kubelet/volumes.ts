// Pod volumes on disk under <root>/pods/<uid>/volumes/<name>: emptyDir (tmpfs for medium Memory
// when we may mount), configMap, secret, downwardAPI, projected and hostPath. Each sync rewrites
// the projected files whose content changed and drops keys that went away.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import type { Container, DownwardAPIVolumeFile, KeyToPath, Pod, Volume } from '../api/index.js';
import { ConfigError, fieldValue, resourceValue, type EnvContext } from './env.js';

const run = promisify(execFile);

/** File name → content and mode, the result of projecting one volume. */
type Files = Map<string, { data: Buffer; mode: number }>;

export function podDir(root: string, uid: string): string {
  return join(root, 'pods', uid);
}

function volumeDir(root: string, uid: string, name: string): string {
  return join(podDir(root, uid), 'volumes', name);
}

function keyed(data: Record<string, Buffer>, items: KeyToPath[] | undefined, mode: number, optional: boolean, what: string): Files {
  const files: Files = new Map();
  if (!items || items.length === 0) {
    for (const [k, v] of Object.entries(data)) files.set(k, { data: v, mode });
    return files;
  }
  for (const it of items) {
    const v = data[it.key];
    if (v === undefined) {
      if (optional) continue;
      throw new ConfigError(`${what}: no key ${it.key}`);
    }
    files.set(it.path, { data: v, mode: it.mode ?? mode });
  }
  return files;
}

function decodeAll(m: Record<string, string> | undefined, base64: boolean): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[k] = Buffer.from(v, base64 ? 'base64' : 'utf8');
  return out;
}

function downward(pod: Pod, items: DownwardAPIVolumeFile[], mode: number, ctx: EnvContext): Files {
  const files: Files = new Map();
  for (const it of items) {
    let value = '';
    if (it.fieldRef) value = fieldValue(pod, it.fieldRef.fieldPath, ctx.addr);
    else if (it.resourceFieldRef) {
      const c = (pod.spec?.containers ?? []).find((x) => x.name === it.resourceFieldRef?.containerName) ?? pod.spec?.containers[0];
      if (c) value = resourceValue(c, it.resourceFieldRef.resource, it.resourceFieldRef.divisor, ctx.node);
    }
    files.set(it.path, { data: Buffer.from(value), mode: it.mode ?? mode });
  }
  return files;
}

async function configMapFiles(ns: string, name: string, items: KeyToPath[] | undefined, mode: number, optional: boolean, ctx: EnvContext): Promise<Files> {
  const cm = await ctx.lookup.configMap(ns, name);
  if (!cm) {
    if (optional) return new Map();
    throw new ConfigError(`configmap "${name}" not found`);
  }
  return keyed({ ...decodeAll(cm.data, false), ...decodeAll(cm.binaryData, true) }, items, mode, optional, `configmap ${name}`);
}

async function secretFiles(ns: string, name: string, items: KeyToPath[] | undefined, mode: number, optional: boolean, ctx: EnvContext): Promise<Files> {
  const s = await ctx.lookup.secret(ns, name);
  if (!s) {
    if (optional) return new Map();
    throw new ConfigError(`secret "${name}" not found`);
  }
  return keyed({ ...decodeAll(s.stringData, false), ...decodeAll(s.data, true) }, items, mode, optional, `secret ${name}`);
}

async function projectedFiles(pod: Pod, v: Volume, ctx: EnvContext): Promise<Files | undefined> {
  const ns = pod.metadata?.namespace ?? 'default';
  const src = v;
  if (src.configMap) return configMapFiles(ns, src.configMap.name ?? '', src.configMap.items, src.configMap.defaultMode ?? 0o644, src.configMap.optional ?? false, ctx);
  if (src.secret) return secretFiles(ns, src.secret.secretName ?? '', src.secret.items, src.secret.defaultMode ?? 0o644, src.secret.optional ?? false, ctx);
  if (src.downwardAPI) return downward(pod, src.downwardAPI.items ?? [], src.downwardAPI.defaultMode ?? 0o644, ctx);
  if (src.projected) {
    const mode = src.projected.defaultMode ?? 0o644;
    const all: Files = new Map();
    for (const p of src.projected.sources ?? []) {
      let part: Files = new Map();
      if (p.configMap) part = await configMapFiles(ns, p.configMap.name ?? '', p.configMap.items, mode, p.configMap.optional ?? false, ctx);
      else if (p.secret) part = await secretFiles(ns, p.secret.name ?? '', p.secret.items, mode, p.secret.optional ?? false, ctx);
      else if (p.downwardAPI) part = downward(pod, p.downwardAPI.items ?? [], mode, ctx);
      // serviceAccountToken and clusterTrustBundle need APIs Skiff does not serve yet: left out.
      for (const [k, f] of part) all.set(k, f);
    }
    return all;
  }
  return undefined;
}

/** Writes `files` into `dir`, touching only what changed, and removes files no longer projected. */
function sync(dir: string, files: Files): void {
  mkdirSync(dir, { recursive: true });
  for (const [rel, f] of files) {
    const path = normalize(join(dir, rel));
    if (!path.startsWith(dir + sep)) throw new ConfigError(`volume path ${rel} leaves the volume`);
    mkdirSync(dirname(path), { recursive: true });
    let same = false;
    try {
      same = readFileSync(path).equals(f.data);
    } catch {
      // Missing: written below.
    }
    if (!same) writeFileSync(path, f.data);
    chmodSync(path, f.mode & 0o777);
  }
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), rel);
      else if (![...files.keys()].some((k) => normalize(k) === normalize(rel))) rmSync(join(d, e.name), { force: true });
    }
  };
  walk(dir, '');
}

export interface VolumeOptions {
  root: string;
  /** May we mount tmpfs (root, not hollow)? */
  canMount: boolean;
}

/** Materialises every volume of the pod; returns volume name → host path. */
export async function setUpVolumes(pod: Pod, ctx: EnvContext, opts: VolumeOptions): Promise<Map<string, string>> {
  const uid = pod.metadata?.uid ?? '';
  const out = new Map<string, string>();
  for (const v of pod.spec?.volumes ?? []) {
    if (v.hostPath) {
      const t = v.hostPath.type ?? '';
      if (t === 'DirectoryOrCreate') mkdirSync(v.hostPath.path, { recursive: true });
      else if (t === 'FileOrCreate' && !existsSync(v.hostPath.path)) {
        mkdirSync(dirname(v.hostPath.path), { recursive: true });
        writeFileSync(v.hostPath.path, '');
      } else if (t === 'Directory' && !(existsSync(v.hostPath.path) && statSync(v.hostPath.path).isDirectory())) {
        throw new ConfigError(`hostPath type check failed: ${v.hostPath.path} is not a directory`);
      } else if (t === 'File' && !(existsSync(v.hostPath.path) && statSync(v.hostPath.path).isFile())) {
        throw new ConfigError(`hostPath type check failed: ${v.hostPath.path} is not a file`);
      }
      out.set(v.name, v.hostPath.path);
      continue;
    }
    const dir = volumeDir(opts.root, uid, v.name);
    if (v.emptyDir) {
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true, mode: 0o777 });
        chmodSync(dir, 0o777);
        if (v.emptyDir.medium === 'Memory' && opts.canMount) {
          const size = v.emptyDir.sizeLimit ? [`-o`, `size=${v.emptyDir.sizeLimit}`.replace(/i$/, '')] : [];
          await run('mount', ['-t', 'tmpfs', ...size, 'tmpfs', dir]);
        }
      }
      out.set(v.name, dir);
      continue;
    }
    const files = await projectedFiles(pod, v, ctx);
    if (files === undefined) throw new ConfigError(`volume ${v.name}: unsupported volume type (Skiff supports emptyDir, configMap, secret, downwardAPI, projected, hostPath)`);
    sync(dir, files);
    out.set(v.name, dir);
  }
  return out;
}

/** CRI mounts of a container: subPath resolved (and created) by the kubelet, readOnly honoured. */
export function containerMounts(container: Container, volumes: Map<string, string>): Array<{ containerPath: string; hostPath: string; readonly: boolean }> {
  const mounts: Array<{ containerPath: string; hostPath: string; readonly: boolean }> = [];
  for (const m of container.volumeMounts ?? []) {
    const base = volumes.get(m.name);
    if (base === undefined) throw new ConfigError(`volumeMount ${m.name}: no such volume`);
    let hostPath = base;
    if (m.subPath) {
      const p = normalize(join(base, m.subPath));
      if (p !== base && !p.startsWith(base + sep)) throw new ConfigError(`subPath ${m.subPath} leaves volume ${m.name}`);
      if (!existsSync(p)) mkdirSync(p, { recursive: true });
      hostPath = p;
    }
    mounts.push({ containerPath: m.mountPath, hostPath, readonly: m.readOnly ?? false });
  }
  return mounts;
}

/** Unmounts tmpfs volumes and removes the pod's directory. */
export async function tearDownVolumes(root: string, uid: string, canMount: boolean): Promise<void> {
  const dir = podDir(root, uid);
  if (!existsSync(dir)) return;
  if (canMount) {
    const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((p) => p.startsWith(dir + sep));
    for (const p of mounts.reverse()) await run('umount', ['-l', p]).catch(() => undefined);
  }
  rmSync(dir, { recursive: true, force: true });
}
