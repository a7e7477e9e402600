// Image garbage collection by disk usage, as the kubelet's image GC manager does it: when the
// image filesystem is fuller than imageGCHighThresholdPercent (85), remove images no container
// uses — the ones this kubelet first saw longest ago first, none younger than the minimum age —
// until usage is back under imageGCLowThresholdPercent (80).
import { statfsSync } from 'node:fs';
import type { Logger } from '../client/index.js';
import type { Runtime } from './runtime.js';

export interface ImageGCPolicy {
  highPercent: number;
  lowPercent: number;
  /** Images detected more recently than this are never removed (Kubernetes: 2 min). */
  minAgeMs: number;
}

export const defaultImageGCPolicy: ImageGCPolicy = { highPercent: 85, lowPercent: 80, minAgeMs: 120_000 };

export class ImageGC {
  /** When this kubelet first saw each image id. */
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly runtime: Pick<Runtime, 'listImages' | 'removeImage' | 'imageFsInfo' | 'listContainers'>,
    private readonly policy: ImageGCPolicy,
    private readonly log: Logger,
  ) {}

  /** One pass; returns the ids removed. */
  async collect(now = Date.now()): Promise<string[]> {
    const [{ images }, { containers }, fsInfo] = await Promise.all([this.runtime.listImages({}), this.runtime.listContainers({}), this.runtime.imageFsInfo({})]);
    for (const i of images) if (!this.firstSeen.has(i.id)) this.firstSeen.set(i.id, now);
    for (const id of this.firstSeen.keys()) if (!images.some((i) => i.id === id)) this.firstSeen.delete(id);

    const mountpoint = fsInfo.imageFilesystems[0]?.fsId?.mountpoint;
    if (!mountpoint) return [];
    let fs;
    try {
      fs = statfsSync(mountpoint);
    } catch {
      return []; // a runtime on another machine: its disk is not ours to measure
    }
    const capacity = fs.blocks * fs.bsize;
    const used = capacity - fs.bavail * fs.bsize;
    if (capacity <= 0 || (used / capacity) * 100 <= this.policy.highPercent) return [];
    let toFree = used - (this.policy.lowPercent / 100) * capacity;

    const inUse = new Set(containers.flatMap((c) => [c.imageRef, c.imageId, c.image?.image ?? '']));
    const candidates = images
      .filter((i) => !inUse.has(i.id) && !i.repoTags.some((t) => inUse.has(t)) && now - (this.firstSeen.get(i.id) ?? now) >= this.policy.minAgeMs)
      .sort((a, b) => (this.firstSeen.get(a.id) ?? 0) - (this.firstSeen.get(b.id) ?? 0));
    const removed: string[] = [];
    for (const image of candidates) {
      if (toFree <= 0) break;
      try {
        await this.runtime.removeImage({ image: { image: image.id } });
        removed.push(image.id);
        toFree -= image.size;
        this.firstSeen.delete(image.id);
      } catch (err) {
        this.log.warn({ image: image.id, err: (err as Error).message }, 'image garbage collection could not remove an image');
      }
    }
    if (removed.length > 0) this.log.info({ removed: removed.length, usedPercent: Math.round((used / capacity) * 100) }, 'image garbage collection');
    return removed;
  }
}
