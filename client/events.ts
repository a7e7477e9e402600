// Records core/v1 Events about objects. Repeats of the same (object, type, reason, message)
// bump `count` and `lastTimestamp` on one Event instead of creating new ones, as client-go's
// correlator does. Recording never throws: a lost event must not fail the caller's work.
import type { Event } from '../api/index.js';
import type { Clientset } from './clientset.js';
import { createLogger, type Logger } from './log.js';
import type { KubeObject } from './objects.js';

interface Seen {
  namespace: string;
  name: string;
  count: number;
  first: string;
  /** The first record's create; repeats wait for it (it rejects if the create failed). */
  created: Promise<unknown>;
}

const maxRemembered = 4096;

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private readonly log: Logger;

  constructor(
    private readonly clientset: Clientset,
    private readonly component: string,
    private readonly host?: string,
    log?: Logger,
  ) {
    this.log = (log ?? createLogger(component)).child({ events: true });
  }

  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.record(obj, type, reason, message);
  }

  /** Same as event(), but lets the caller wait until the Event is written. */
  async record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const m = obj.metadata ?? {};
    const namespace = m.namespace ?? 'default';
    const id = [m.uid ?? `${m.namespace}/${m.name}`, type, reason, message].join('\u0000');
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const prior = this.seen.get(id);
    // The cache is written before any await: a concurrent repeat must find it and patch, not create.
    let entry = prior;
    try {
      if (prior) {
        prior.count++;
        await prior.created;
        await this.clientset.events.patch(prior.namespace, prior.name, { count: prior.count, lastTimestamp: now });
        return;
      }
      const name = `${m.name ?? 'unknown'}.${(Date.now() * 1000 + Math.floor(Math.random() * 1000)).toString(16)}`;
      const ev: Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: obj.apiVersion, kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion,
        },
        type, reason, message,
        source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
        firstTimestamp: now, lastTimestamp: now, count: 1,
        reportingComponent: this.component, reportingInstance: this.host ?? '',
      };
      const created = this.clientset.events.create(namespace, ev);
      if (this.seen.size >= maxRemembered) this.seen.delete(this.seen.keys().next().value as string);
      entry = { namespace, name, count: 1, first: now, created };
      this.seen.set(id, entry);
      await created;
    } catch (err) {
      // The Event may have expired (TTL) — forget it so the next repeat creates a fresh one.
      if (entry && this.seen.get(id) === entry) this.seen.delete(id);
      this.log.debug({ err: (err as Error).message, reason }, 'could not record event');
    }
  }
}
