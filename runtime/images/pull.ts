// PullImage: reference → manifest (an index or list picks this node's platform) → config →
// layers, each blob verified into the content store, each layer unpacked once into its snapshot.
// Two pulls of one image at once share the work; a failed pull leaves no blob or snapshot that
// did not check out.
import type { Logger } from 'pino';
import type { AuthConfig } from '../../proto/index.js';
import { formatReference, parseReference, repoName } from '../../proto/image-reference.js';
import { RegistryClient } from './registry-client.js';
import type { RegistriesFile } from './registry-config.js';
import { chainIds } from './snapshots.js';
import type { ImageRecord, ImageStore, RunConfig } from './store.js';
import { unpackLayer } from './unpack.js';

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

interface Manifest {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const PARALLEL_DOWNLOADS = 3;

/** This node's platform as image indexes name it. */
export const NODE_PLATFORM = { os: 'linux', architecture: process.arch === 'x64' ? 'amd64' : process.arch };

export class PullError extends Error {}

export class Puller {
  private readonly inFlight = new Map<string, Promise<ImageRecord>>();

  constructor(
    private readonly store: ImageStore,
    private readonly registries: () => RegistriesFile,
    private readonly log: Logger,
  ) {}

  /** Pulls in progress (garbage collection waits for none). */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  pull(image: string, auth: AuthConfig | null | undefined): Promise<ImageRecord> {
    const ref = parseReference(image);
    const key = formatReference(ref);
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = Date.now();
    const work = this.doPull(ref, auth)
      .then((rec) => {
        this.log.info({ image: key, id: rec.id, ms: Date.now() - started }, 'image pulled');
        return rec;
      })
      .catch((err: unknown) => {
        throw new PullError(`pulling image ${JSON.stringify(image)}: ${(err as Error).message}`);
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async doPull(ref: ReturnType<typeof parseReference>, auth: AuthConfig | null | undefined): Promise<ImageRecord> {
    const client = new RegistryClient(ref, this.registries(), auth);
    const top = await client.manifest(ref.digest ?? ref.tag ?? 'latest');
    this.store.writeBlob(top.body);
    let manifest = parseJson<Manifest>(top.body, 'manifest');
    let manifestDigest = top.digest;
    if (INDEX_TYPES.has(top.mediaType) || (manifest.manifests && !manifest.layers)) {
      const entry = (manifest.manifests ?? []).find((m) => m.platform?.os === NODE_PLATFORM.os && m.platform.architecture === NODE_PLATFORM.architecture);
      if (!entry) {
        const offered = (manifest.manifests ?? []).map((m) => `${m.platform?.os}/${m.platform?.architecture}`).join(', ');
        throw new Error(`no image for ${NODE_PLATFORM.os}/${NODE_PLATFORM.architecture} in the index (it has ${offered || 'nothing'})`);
      }
      const chosen = await client.manifest(entry.digest);
      this.store.writeBlob(chosen.body);
      manifest = parseJson<Manifest>(chosen.body, 'manifest');
      manifestDigest = chosen.digest;
    }
    if (manifest.schemaVersion === 1) throw new Error('Docker schema 1 manifests are not supported (push the image again with a current client)');
    const config = manifest.config;
    const layers = manifest.layers ?? [];
    if (!config?.digest) throw new Error(`manifest ${manifestDigest} has no config`);

    await this.store.ingest(config.digest, config.size, () => client.blob(config.digest));
    const imageConfig = parseJson<{ config?: RunConfig; rootfs?: { diff_ids?: string[] } }>(this.store.readBlob(config.digest), 'image config');
    const diffIds = imageConfig.rootfs?.diff_ids ?? [];
    if (diffIds.length !== layers.length) throw new Error(`image config lists ${diffIds.length} layers, the manifest ${layers.length}`);
    const chains = chainIds(diffIds);

    // Downloads run a few at a time; unpacking goes bottom-up as soon as each layer is in.
    const missing = layers.map((l, i) => !this.store.snapshots.has(chains[i] as string) && !this.store.hasBlob(l.digest));
    const limit = limiter(PARALLEL_DOWNLOADS);
    const downloads = layers.map((l, i) => (missing[i] ? limit(() => this.store.ingest(l.digest, l.size, () => client.blob(l.digest))) : Promise.resolve()));
    for (const d of downloads) d.catch(() => {}); // awaited below, in order
    for (let i = 0; i < layers.length; i++) {
      const chain = chains[i] as string;
      await downloads[i];
      const lowers = chains.slice(0, i).reverse().map((c) => this.store.snapshots.path(c));
      await this.store.snapshots.ensure(chain, (fs) => unpackLayer(this.store.blobPath((layers[i] as Descriptor).digest), diffIds[i] as string, fs, lowers).then(() => {}));
    }

    const record: ImageRecord = {
      id: config.digest,
      repoTags: [],
      repoDigests: [],
      size: config.size + layers.reduce((n, l) => n + l.size, 0),
      manifestDigest,
      config: imageConfig.config ?? {},
      diffIds,
      layers: layers.map((l) => l.digest),
      pulledAt: Date.now(),
    };
    return this.store.tag(record, ref.digest ? undefined : formatReference(ref), `${repoName(ref)}@${top.digest}`);
  }
}

function parseJson<T>(data: Buffer, what: string): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch {
    throw new Error(`${what} is not JSON`);
  }
}

/** Runs at most `n` of the given tasks at a time. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
