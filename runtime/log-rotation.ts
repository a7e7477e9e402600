// Size-based rotation of container logs, as the kubelet's container log manager does it: a log
// over the limit is renamed to `<log>.<YYYYMMDD-HHMMSS>`, the writer (conmon or the shim) is told
// to reopen the path, and only the newest rotated files are kept.
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Backend } from './backend.js';
import type { RuntimeService } from './service.js';
import type { StateStore } from './state.js';

export const KEEP_ROTATED = 5;

function stamp(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export async function rotateLogs(store: StateStore, backend: Backend, service: RuntimeService, maxSize: number): Promise<void> {
  for (const rec of store.containers.values()) {
    if (service.containerState(rec) !== 'CONTAINER_RUNNING') continue;
    let size: number;
    try {
      size = statSync(rec.logPath).size;
    } catch {
      continue;
    }
    if (size <= maxSize) continue;
    renameSync(rec.logPath, `${rec.logPath}.${stamp(new Date())}`);
    await backend.reopenLog(rec);
    const prefix = `${basename(rec.logPath)}.`;
    const rotated = readdirSync(dirname(rec.logPath))
      .filter((f) => f.startsWith(prefix) && /^\d{8}-\d{6}$/.test(f.slice(prefix.length)))
      .sort();
    for (const old of rotated.slice(0, Math.max(0, rotated.length - KEEP_ROTATED))) rmSync(join(dirname(rec.logPath), old), { force: true });
  }
}
