// ImageService over the content store (images/): PullImage over the distribution API,
// ListImages/ImageStatus with the config digest as id, RemoveImage (refused while a container
// uses the image), ImageFsInfo with the store's real usage. `ImageRuntime` is also what the
// RuntimeService asks for a container's image.
import { createHash } from 'node:crypto';
import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { grpc, RpcError, type Image, type ImageHandlers, type Input } from '../proto/index.js';
import { processFor, ProcessError, type ProcessSpec } from './images/process.js';
import { Puller, PullError } from './images/pull.js';
import { InvalidReferenceError, normalizeImage } from '../proto/image-reference.js';
import { loadRegistriesFile, type RegistriesFile } from './images/registry-config.js';
import { chainIds } from './images/snapshots.js';
import { ImageStore, type ImageRecord } from './images/store.js';
import { readImageFile } from './images/unpack.js';
import type { ContainerConfig } from '../proto/index.js';

export { normalizeImage };

/** The id a container without an image record reports (host-filesystem containers). */
export function imageId(ref: string): string {
  return `sha256:${createHash('sha256').update(normalizeImage(ref)).digest('hex')}`;
}

export interface ContainerImage {
  id: string;
  chainIds: string[];
  process: ProcessSpec;
}

export class ImageRuntime {
  readonly store: ImageStore;
  private readonly puller: Puller;

  constructor(root: string, registryConfig: string | undefined, log: Logger) {
    this.store = new ImageStore(join(root, 'images'));
    // Read on every pull, so an edited registries.yaml applies without a restart.
    const registries = (): RegistriesFile => (registryConfig ? loadRegistriesFile(registryConfig) : {});
    if (registryConfig) registries(); // fail at start on a broken file
    this.puller = new Puller(this.store, registries, log);
  }

  find(ref: string): ImageRecord | undefined {
    return ref.trim() ? this.store.find(ref.trim(), normalizeImage(ref)) : undefined;
  }

  /** The snapshot directories of an image, topmost first. */
  layerDirs(chains: string[]): string[] {
    return [...chains].reverse().map((c) => this.store.snapshots.path(c));
  }

  /** The image a container runs and its process by Kubernetes' rules; undefined without a record. */
  async forContainer(config: ContainerConfig): Promise<ContainerImage | undefined> {
    const rec = this.find(config.image?.image ?? '');
    if (!rec) return undefined;
    const chains = chainIds(rec.diffIds);
    const dirs = this.layerDirs(chains);
    try {
      return { id: rec.id, chainIds: chains, process: await processFor(config, rec.config, (rel) => readImageFile(dirs, rel)) };
    } catch (err) {
      if (err instanceof ProcessError) throw new RpcError(grpc.status.INVALID_ARGUMENT, err.message);
      throw err;
    }
  }

  handlers(inUse: (imageId: string) => boolean, containersDir: string): ImageHandlers {
    return {
      ListImages: async (req) => {
        const wanted = req.filter?.image?.image;
        const images = wanted ? [this.find(wanted)].filter((r): r is ImageRecord => r !== undefined) : [...this.store.records.values()];
        return { images: images.map(toImage) };
      },
      ImageStatus: async (req) => {
        const rec = this.find(req.image?.image ?? '');
        return rec ? { image: toImage(rec), info: req.verbose ? { info: JSON.stringify({ config: rec.config, manifestDigest: rec.manifestDigest }) } : {} } : {};
      },
      PullImage: async (req) => {
        const raw = req.image?.image ?? '';
        if (!raw.trim()) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'image.image: required');
        try {
          const rec = await this.puller.pull(raw, req.auth);
          return { imageRef: rec.id };
        } catch (err) {
          if (err instanceof InvalidReferenceError) throw new RpcError(grpc.status.INVALID_ARGUMENT, `image.image: ${err.message}`);
          if (err instanceof PullError) throw new RpcError(grpc.status.UNKNOWN, err.message);
          throw err;
        }
      },
      RemoveImage: async (req) => {
        const rec = this.find(req.image?.image ?? '');
        if (!rec) return {};
        if (inUse(rec.id)) throw new RpcError(grpc.status.FAILED_PRECONDITION, `image ${rec.repoTags[0] ?? rec.id} is in use by a container`);
        this.store.dropRecord(rec.id);
        if (!this.puller.busy) this.store.collectGarbage();
        return {};
      },
      ImageFsInfo: async () => {
        const { bytes, inodes } = this.store.usage();
        const fs = statfsSync(containersDir);
        const now = Date.now() * 1e6;
        return {
          imageFilesystems: [{ timestamp: now, fsId: { mountpoint: this.store.root }, usedBytes: { value: bytes }, inodesUsed: { value: inodes } }],
          containerFilesystems: [
            { timestamp: now, fsId: { mountpoint: containersDir }, usedBytes: { value: (fs.blocks - fs.bfree) * fs.bsize }, inodesUsed: { value: fs.files - fs.ffree } },
          ],
        };
      },
    };
  }
}

function toImage(rec: ImageRecord): Input<Image> {
  const user = (rec.config.User ?? '').split(':')[0] ?? '';
  return {
    id: rec.id,
    repoTags: rec.repoTags,
    repoDigests: rec.repoDigests,
    size: rec.size,
    ...(/^\d+$/.test(user) ? { uid: { value: Number(user) } } : { username: user }),
    spec: { image: rec.id },
    pinned: false,
  };
}
