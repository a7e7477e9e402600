import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import type { ContainerStatus, Image } from '../proto/index.js';
import { ImageGC } from './image-gc.js';

const img = (id: string, tag: string, size: number): Image => ({ id, repoTags: [tag], repoDigests: [], size, uid: null, username: '', spec: null, pinned: false });

/** A runtime with three images, one of them used by a container; the image fs is the temp dir's. */
function runtime() {
  const images = [img('sha256:old', 'old:1', 1), img('sha256:used', 'used:1', 1), img('sha256:new', 'new:1', 1)];
  const removed: string[] = [];
  return {
    removed,
    images,
    rt: {
      listImages: async () => ({ images: [...images] }),
      listContainers: async () => ({ containers: [{ imageRef: 'sha256:used', imageId: 'sha256:used', image: { image: 'used:1' } } as unknown as ContainerStatus] }),
      imageFsInfo: async () => ({ imageFilesystems: [{ timestamp: 0, fsId: { mountpoint: tmpdir() }, usedBytes: null, inodesUsed: null }], containerFilesystems: [] }),
      removeImage: async (req: { image?: { image?: string | null } | null }) => {
        const id = req.image?.image ?? '';
        removed.push(id);
        images.splice(images.findIndex((i) => i.id === id), 1);
        return {};
      },
    },
  };
}

describe('image garbage collection', () => {
  const log = pino({ level: 'silent' });

  it('over the high threshold, removes unused images first seen longest ago first; never one in use', async () => {
    const r = runtime();
    const gc = new ImageGC(r.rt as never, { highPercent: 0, lowPercent: 0, minAgeMs: 0 }, log);
    r.images.splice(2, 1); // "new" appears later
    await gc.collect(1000);
    assert.deepEqual(r.removed, ['sha256:old']);
    r.images.push(img('sha256:new', 'new:1', 1));
    await gc.collect(2000);
    assert.deepEqual(r.removed, ['sha256:old', 'sha256:new']);
    assert.deepEqual(r.images.map((i) => i.id), ['sha256:used']);
  });

  it('keeps everything under the high threshold, and images younger than the minimum age', async () => {
    const r = runtime();
    assert.deepEqual(await new ImageGC(r.rt as never, { highPercent: 100, lowPercent: 80, minAgeMs: 0 }, log).collect(), []);
    assert.deepEqual(await new ImageGC(r.rt as never, { highPercent: 0, lowPercent: 0, minAgeMs: 60_000 }, log).collect(), []);
    assert.deepEqual(r.removed, []);
  });
});
