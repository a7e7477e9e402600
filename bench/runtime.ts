// Runtime start-up latency: RunPodSandbox + CreateContainer + StartContainer for N pods, one after
// another, through the real gRPC client against runc + conmon + CNI. Baseline from the same run:
// a bare `runc run --detach` of an equivalent bundle (same overlay root, no pod network, no
// conmon), i.e. what the OCI runtime alone costs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolationSupport } from '../runtime/index.js';
import { buildSpec } from '../runtime/oci-spec.js';
import { runContainer, runPod, startTestRuntime } from '../runtime/support.testkit.js';
import type { ContainerConfig } from '../proto/index.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function summary(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

function baseline(runc: string, dir: string, runs: number): number[] {
  const bundle = join(dir, 'bundle');
  const rootfs = join(bundle, 'rootfs');
  const state = join(dir, 'runc');
  for (const d of [rootfs, join(dir, 'upper'), join(dir, 'work'), state]) mkdirSync(d, { recursive: true });
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=/,upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, rootfs]);
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const id = `skiff-bench-${process.pid}-${i}`;
      const config = { metadata: { name: 'c', attempt: 0 }, command: ['sleep', '300'], args: [], envs: [], mounts: [], labels: {}, annotations: {}, workingDir: '', linux: null } as unknown as ContainerConfig;
      const spec = buildSpec({ config, hostname: 'bench', netns: undefined, etcFiles: undefined, cgroupPath: `/skiff-bench-${id}`, hide: [] });
      writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
      const t0 = performance.now();
      const r = spawnSync(runc, [`--root=${state}`, 'run', '--detach', '--bundle', bundle, id], { stdio: 'ignore' });
      times.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`runc run ${id} failed (exit ${r.status})`);
      spawnSync(runc, [`--root=${state}`, 'delete', '--force', id], { stdio: 'ignore' });
    }
  } finally {
    execFileSync('umount', [rootfs]);
  }
  return times;
}

export async function benchRuntime(opts: { pods: number }): Promise<void> {
  const support = isolationSupport();
  if ('reason' in support) {
    console.log(`runtime: skipped (${support.reason})`);
    return;
  }
  const t = await startTestRuntime({ podCidr: '10.244.252.0/24', testMirror: true });
  await t.images.pullImage({ image: { image: 'busybox' } });
  const sandbox: number[] = [];
  const container: number[] = [];
  const total: number[] = [];
  let base: number[] = [];
  try {
    for (let i = 0; i < opts.pods; i++) {
      const t0 = performance.now();
      const pod = await runPod(t, `bench${i}`);
      const t1 = performance.now();
      await runContainer(t, pod.id, 'main', ['sleep', '300']);
      const t2 = performance.now();
      sandbox.push(t1 - t0);
      container.push(t2 - t1);
      total.push(t2 - t0);
    }
    base = baseline(support.runc, join(t.root, 'baseline'), opts.pods);
  } finally {
    const t0 = performance.now();
    await t.destroy();
    console.log(`runtime: teardown of ${opts.pods} pods (stop + remove): ${fmt(performance.now() - t0)}`);
    rmSync(join(t.root, 'baseline'), { recursive: true, force: true });
  }
  const s = summary(sandbox);
  const c = summary(container);
  const all = summary(total);
  const b = summary(base);
  console.log(`runtime: ${opts.pods} pods, one after another (sandbox with CNI netns + one container under conmon)`);
  console.log(`  RunPodSandbox                    p50 ${fmt(s.p50)}  p99 ${fmt(s.p99)}`);
  console.log(`  CreateContainer+StartContainer   p50 ${fmt(c.p50)}  p99 ${fmt(c.p99)}`);
  console.log(`  pod start total                  p50 ${fmt(all.p50)}  p99 ${fmt(all.p99)}`);
  console.log(`  baseline: bare runc run -d       p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}`);
  console.log(`  ratio pod start / runc run (p50) ${(all.p50 / b.p50).toFixed(2)}x`);
}
