// ImageService. There are no real OCI images yet: containers run on the host's filesystem, so
// PullImage only records the reference and reports it present. The seam for real images is this
// file (pull, unpack, report) plus the overlay's lower layer in runc-backend.ts.
import { createHash } from 'node:crypto';
import { statfsSync } from 'node:fs';
import { grpc, RpcError, type Image, type ImageHandlers, type Input } from '../proto/index.js';
import type { StateStore } from './state.js';

/** docker.io/library/busybox:latest for "busybox", as the kubelet and crictl show references. */
export function normalizeImage(ref: string): string {
  let name = ref.trim();
  if (!name) return name;
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (slash === -1) name = `docker.io/library/${name}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${name}`;
  if (!name.includes('@') && !/:[^/]+$/.test(name)) name = `${name}:latest`;
  return name;
}

/** A stable image id for a reference (a real digest once images are real). */
export function imageId(ref: string): string {
  return `sha256:${createHash('sha256').update(normalizeImage(ref)).digest('hex')}`;
}

function toImage(ref: string): Input<Image> {
  return { id: imageId(ref), repoTags: [ref], repoDigests: [], size: 1, spec: { image: ref } };
}

function find(store: StateStore, ref: string): string | undefined {
  const name = ref.startsWith('sha256:') ? ref : normalizeImage(ref);
  return store.images.find((i) => i === name || imageId(i) === name);
}

export function imageHandlers(store: StateStore): ImageHandlers {
  return {
    ListImages: async (req) => {
      const wanted = req.filter?.image?.image;
      const images = wanted ? store.images.filter((i) => i === find(store, wanted)) : store.images;
      return { images: images.map(toImage) };
    },
    ImageStatus: async (req) => {
      const ref = find(store, req.image?.image ?? '');
      return ref ? { image: toImage(ref) } : {};
    },
    PullImage: async (req) => {
      const raw = req.image?.image ?? '';
      if (!raw.trim()) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'image.image: required');
      const ref = normalizeImage(raw);
      if (!store.images.includes(ref)) {
        store.images.push(ref);
        store.saveImages();
      }
      return { imageRef: imageId(ref) };
    },
    RemoveImage: async (req) => {
      const ref = find(store, req.image?.image ?? '');
      if (ref) {
        store.images = store.images.filter((i) => i !== ref);
        store.saveImages();
      }
      return {};
    },
    ImageFsInfo: async () => {
      const fs = statfsSync(store.layout.root);
      const now = Date.now() * 1e6;
      return {
        imageFilesystems: [
          { timestamp: now, fsId: { mountpoint: store.layout.root }, usedBytes: { value: 0 }, inodesUsed: { value: 0 } },
        ],
        containerFilesystems: [
          { timestamp: now, fsId: { mountpoint: store.layout.containers }, usedBytes: { value: (fs.blocks - fs.bfree) * fs.bsize }, inodesUsed: { value: fs.files - fs.ffree } },
        ],
      };
    },
  };
}
