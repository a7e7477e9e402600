// Leader election on a coordination.k8s.io Lease, as client-go's leaderelection does: acquire
// when the lease is free or its holder has not renewed within the lease duration (judged by our
// own clock, from when we last saw the record change, so clock skew between machines does not
// matter), renew every retry period, step down when renewal fails for the renew deadline, and
// release the lease on shutdown so a successor need not wait.
import type { Lease } from '../api/index.js';
import type { Clientset } from './clientset.js';
import { isConflict, isNotFound } from './errors.js';
import { sleep } from './informer.js';
import { createLogger, type Logger } from './log.js';

export interface LeaderElectorOptions {
  clientset: Clientset;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log?: Logger;
}

export interface LeaderCallbacks {
  /** Runs while we lead; `signal` aborts when leadership is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  onStoppedLeading?(): void;
  onNewLeader?(identity: string): void;
}

const microTime = (d = new Date()): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class LeaderElector {
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly retryMs: number;
  private readonly log: Logger;
  private observed: { record: string; at: number } | undefined;
  private leader = '';

  constructor(private readonly o: LeaderElectorOptions) {
    this.leaseMs = o.leaseDurationMs ?? 15_000;
    this.renewMs = o.renewDeadlineMs ?? 10_000;
    this.retryMs = o.retryPeriodMs ?? 2_000;
    this.log = (o.log ?? createLogger('leader-election')).child({ lease: `${o.namespace}/${o.name}` });
  }

  get isLeader(): boolean {
    return this.leader === this.o.identity;
  }

  /** Campaigns until `signal` aborts; leads (calling back) whenever it holds the lease. */
  async run(cb: LeaderCallbacks, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.tryAcquireOrRenew())) {
        await sleep(this.retryMs * (1 + Math.random() * 0.2), signal);
        continue;
      }
      this.log.info({ identity: this.o.identity }, 'became leader');
      const leading = new AbortController();
      const stopLeading = (): void => leading.abort();
      signal.addEventListener('abort', stopLeading, { once: true });
      const work = Promise.resolve()
        .then(() => cb.onStartedLeading(leading.signal))
        .catch((err: unknown) => this.log.error({ err }, 'leader work failed'));
      await this.renewLoop(leading.signal);
      leading.abort();
      signal.removeEventListener('abort', stopLeading);
      await work;
      cb.onStoppedLeading?.();
      if (signal.aborted) await this.release();
      else this.log.warn('lost leadership');
    }
  }

  private async renewLoop(leading: AbortSignal): Promise<void> {
    let lastRenew = Date.now();
    while (!leading.aborted) {
      await sleep(this.retryMs, leading);
      if (leading.aborted) return;
      if (await this.tryAcquireOrRenew()) lastRenew = Date.now();
      else if (!this.isLeader || Date.now() - lastRenew > this.renewMs) return;
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { clientset, namespace, name, identity } = this.o;
    const now = Date.now();
    const spec = { holderIdentity: identity, leaseDurationSeconds: Math.round(this.leaseMs / 1000), renewTime: microTime() };
    try {
      let lease: Lease;
      try {
        lease = await clientset.leases.get(namespace, name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await clientset.leases.create(namespace, {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace },
          spec: { ...spec, acquireTime: spec.renewTime, leaseTransitions: 0 },
        });
        this.setLeader(identity);
        return true;
      }
      const cur = lease.spec ?? {};
      const record = JSON.stringify([cur.holderIdentity, cur.renewTime]);
      if (this.observed?.record !== record) this.observed = { record, at: now };
      const holder = cur.holderIdentity ?? '';
      const duration = (cur.leaseDurationSeconds ?? 0) * 1000;
      if (holder && holder !== identity && this.observed.at + duration > now) {
        this.setLeader(holder);
        return false;
      }
      const taking = holder !== identity;
      await clientset.leases.update({
        ...lease,
        spec: {
          ...cur,
          ...spec,
          acquireTime: taking ? spec.renewTime : (cur.acquireTime ?? spec.renewTime),
          leaseTransitions: (cur.leaseTransitions ?? 0) + (taking && holder ? 1 : 0),
        },
      });
      this.observed = undefined;
      this.setLeader(identity);
      return true;
    } catch (err) {
      if (!isConflict(err)) this.log.warn({ err: (err as Error).message }, 'lease update failed');
      return false;
    }
  }

  private setLeader(identity: string): void {
    if (identity !== this.leader) this.log.info({ leader: identity }, 'new leader observed');
    this.leader = identity;
  }

  /** Gives the lease up (holder cleared, 1 s duration) so a successor takes over at once. */
  private async release(): Promise<void> {
    const { clientset, namespace, name, identity } = this.o;
    try {
      const lease = await clientset.leases.get(namespace, name);
      if (lease.spec?.holderIdentity !== identity) return;
      await clientset.leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() } });
      this.log.info('released lease');
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not release lease');
    } finally {
      this.leader = '';
    }
  }
}
