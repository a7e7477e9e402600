// EnsureImageExists, as the kubelet's image manager does it: imagePullPolicy (Never /
// IfNotPresent / Always), credentials from the pod's imagePullSecrets
// (kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg) handed to PullImage as the CRI
// AuthConfig, the events Kubernetes shows (Pulling, Pulled with size and duration, Failed,
// BackOff), and the waiting reasons ErrImagePull → ImagePullBackOff (10 s doubling to 5 min,
// per pod and image), ErrImageNeverPull and InvalidImageName.
import type { Container, Pod, Secret } from '../api/index.js';
import { InvalidReferenceError, parseReference } from '../proto/image-reference.js';
import type { AuthConfig, ImageClient } from '../proto/index.js';
import { CrashBackoff, type BackoffLimits } from './backoff.js';
import type { Waiting } from './pod-status.js';

export type ImageOps = Pick<ImageClient, 'imageStatus' | 'pullImage'>;

export type PullOutcome = { ok: true; imageRef: string } | { ok: false; waiting: Waiting; retryMs: number };

export type EventSink = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

const EMPTY_AUTH: AuthConfig = { username: '', password: '', auth: '', serverAddress: '', identityToken: '', registryToken: '' };

/** docker.io for "https://index.docker.io/v1/", host:port for URLs and bare hosts. */
function registryOfKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//, '').split('/')[0] ?? '';
  return ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(host) ? 'docker.io' : host;
}

interface DockerEntry {
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** The credentials of pull secrets that name `registry`, in the pod's order. */
export function authsFor(registry: string, secrets: Secret[]): AuthConfig[] {
  const out: AuthConfig[] = [];
  for (const s of secrets) {
    let entries: Record<string, DockerEntry> = {};
    try {
      const raw = (key: string): string | undefined => (s.data?.[key] ? Buffer.from(s.data[key], 'base64').toString('utf8') : undefined);
      if (s.type === 'kubernetes.io/dockerconfigjson') entries = (JSON.parse(raw('.dockerconfigjson') ?? '{}') as { auths?: Record<string, DockerEntry> }).auths ?? {};
      else if (s.type === 'kubernetes.io/dockercfg') entries = JSON.parse(raw('.dockercfg') ?? '{}') as Record<string, DockerEntry>;
    } catch {
      continue; // a malformed secret gives no credentials, as in Kubernetes
    }
    for (const [key, e] of Object.entries(entries)) {
      if (registryOfKey(key) !== registry) continue;
      out.push({ ...EMPTY_AUTH, username: e.username ?? '', password: e.password ?? '', auth: e.auth ?? '', identityToken: e.identitytoken ?? '', registryToken: e.registrytoken ?? '', serverAddress: key });
    }
  }
  return out;
}

export class ImageManager {
  private readonly backoff: CrashBackoff;
  /** Last failed pull per `uid/image`: when, and why. */
  private readonly failures = new Map<string, { at: number; message: string }>();

  constructor(
    private readonly images: ImageOps,
    private readonly secret: (ns: string, name: string) => Promise<Secret | undefined>,
    limits: BackoffLimits,
  ) {
    this.backoff = new CrashBackoff(limits);
  }

  async ensure(pod: Pod, c: Container, event: EventSink): Promise<PullOutcome> {
    const image = c.image ?? '';
    let registry: string;
    try {
      registry = parseReference(image).registry;
    } catch (err) {
      if (!(err instanceof InvalidReferenceError)) throw err;
      const message = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
      event('Warning', 'InspectFailed', message);
      return { ok: false, waiting: { reason: 'InvalidImageName', message }, retryMs: 60_000 };
    }
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    const present = policy === 'Always' ? undefined : (await this.images.imageStatus({ image: { image } })).image;
    if (present) {
      event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return { ok: true, imageRef: present.id };
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event('Warning', 'ErrImageNeverPull', message);
      return { ok: false, waiting: { reason: 'ErrImageNeverPull', message }, retryMs: 60_000 };
    }

    const key = `${pod.metadata?.uid}/${image}`;
    const failed = this.failures.get(key);
    const left = failed ? this.backoff.remaining(key, failed.at) : 0;
    if (left > 0) {
      event('Normal', 'BackOff', `Back-off pulling image "${image}"`);
      return { ok: false, waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ${failed?.message}` }, retryMs: left };
    }

    event('Normal', 'Pulling', `Pulling image "${image}"`);
    const started = Date.now();
    const secrets = (await Promise.all((pod.spec?.imagePullSecrets ?? []).map((s) => (s.name ? this.secret(pod.metadata?.namespace ?? 'default', s.name) : undefined)))).filter((s): s is Secret => s !== undefined);
    const auths = authsFor(registry, secrets);
    let lastError: Error | undefined;
    for (const auth of auths.length > 0 ? auths : [null]) {
      try {
        const { imageRef } = await this.images.pullImage({ image: { image }, auth });
        const secs = ((Date.now() - started) / 1000).toFixed(3);
        const size = (await this.images.imageStatus({ image: { image: imageRef } })).image?.size ?? 0;
        event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${secs}s (${secs}s including waiting). Image size: ${size} bytes.`);
        this.failures.delete(key);
        return { ok: true, imageRef };
      } catch (err) {
        lastError = err as Error;
      }
    }
    const message = (lastError?.message ?? 'unknown error').replace(/^PullImage: /, '');
    event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
    event('Warning', 'Failed', 'Error: ErrImagePull');
    const at = Date.now();
    this.failures.set(key, { at, message });
    return { ok: false, waiting: { reason: 'ErrImagePull', message }, retryMs: this.backoff.next(key, at) };
  }

  /** Forgets a deleted pod's back-off. */
  forget(uid: string): void {
    for (const k of this.failures.keys()) if (k.startsWith(`${uid}/`)) this.failures.delete(k);
    this.backoff.forgetPrefix(`${uid}/`);
  }
}
