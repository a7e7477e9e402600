// Image pulls. (1) Pull + unpack of the busybox test image from the run's local registry into an
// empty store, against a baseline from the same run: `curl | tar -xz` of the same layer blobs
// (the transfer and unpack alone, with no digest checks or store). (2) The runtime process's
// peak RSS growth while it pulls an image with one large incompressible layer — pulls must
// stream, never hold a layer in memory.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRealRuntime } from '../kubelet/support.testkit.js';
import { startTestRuntime } from '../runtime/support.testkit.js';
import { pushLayers, testImages, stopTestImages } from '../testing/test-images.js';
import { tarArchive } from '../testing/tar-writer.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

function peakRssKb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? NaN);
}

export async function benchImages(opts: { pulls: number; bigLayerMb: number }): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('images: skipped (unpacking needs root)');
    return;
  }
  const images = await testImages();
  try {
    // (1) pull + unpack, fresh store each time (RemoveImage empties it).
    const t = await startTestRuntime({ podCidr: '10.244.246.0/24', hostProcesses: true, testMirror: true });
    const ours: number[] = [];
    try {
      for (let i = 0; i < opts.pulls; i++) {
        const t0 = performance.now();
        const { imageRef } = await t.images.pullImage({ image: { image: `${images.host}/library/busybox:docker` } });
        ours.push(performance.now() - t0);
        await t.images.removeImage({ image: { image: imageRef } });
      }
    } finally {
      await t.destroy();
    }
    const manifest = JSON.parse(execFileSync('curl', ['-sf', '-H', 'Accept: application/vnd.docker.distribution.manifest.v2+json', `http://${images.host}/v2/library/busybox/manifests/${images.digests['library/busybox:docker']}`], { encoding: 'utf8' })) as { manifests: Array<{ digest: string }> };
    const inner = JSON.parse(execFileSync('curl', ['-sf', '-H', 'Accept: application/vnd.docker.distribution.manifest.v2+json', `http://${images.host}/v2/library/busybox/manifests/${manifest.manifests[0]?.digest}`], { encoding: 'utf8' })) as { layers: Array<{ digest: string }> };
    const base: number[] = [];
    for (let i = 0; i < opts.pulls; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-untar-'));
      const t0 = performance.now();
      for (const l of inner.layers) {
        const r = spawnSync('sh', ['-c', `curl -sf http://${images.host}/v2/library/busybox/blobs/${l.digest} | tar -xz -C ${dir}`]);
        if (r.status !== 0) throw new Error(`baseline curl | tar failed: ${r.stderr.toString()}`);
      }
      base.push(performance.now() - t0);
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`images: pull + unpack of the busybox test image (2 layers, ~1 MB gzip, 270 links) from the local registry, ${opts.pulls} runs`);
    console.log(`  PullImage into an empty store       median ${fmt(median(ours))}`);
    console.log(`  baseline: curl | tar -xz per layer  median ${fmt(median(base))}`);
    console.log(`  ratio                               ${(median(ours) / median(base)).toFixed(2)}x`);

    // (2) peak RSS of the runtime process across a pull of one big layer.
    const big = tarArchive([{ type: 'file', name: 'big.bin', data: randomBytes(opts.bigLayerMb * 1024 * 1024) }]);
    await pushLayers('bench/big', 'v1', [big]);
    const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-rss-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'registries.yaml'), '');
    const rt = await startRealRuntime(dir, join(dir, 'registries.yaml'));
    try {
      const before = peakRssKb(rt.pid);
      const t0 = performance.now();
      await rt.client.pullImage({ image: { image: `${images.host}/bench/big:v1` } });
      const ms = performance.now() - t0;
      const after = peakRssKb(rt.pid);
      console.log(`images: runtime peak RSS while pulling one ${opts.bigLayerMb} MB incompressible layer (gzip) in ${fmt(ms)}`);
      console.log(`  peak RSS before ${(before / 1024).toFixed(1)} MB, after ${(after / 1024).toFixed(1)} MB: growth ${((after - before) / 1024).toFixed(1)} MB (goal ≤ 50 MB)`);
    } finally {
      await rt.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await stopTestImages();
  }
}
