// One informer per resource and selector per process, shared by every controller in it.
import type { Clientset } from './clientset.js';
import { Informer, type InformerOptions } from './informer.js';
import type { Logger } from './log.js';
import type { KubeObject } from './objects.js';

export interface FactoryOptions {
  /** Default resync for every informer (ms); 0 = never. */
  resyncMs?: number;
  log?: Logger;
}

export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();

  constructor(
    readonly clientset: Clientset,
    private readonly opts: FactoryOptions = {},
  ) {}

  informer<T extends KubeObject>(plural: string, opts: Omit<InformerOptions, 'log'> = {}): Informer<T> {
    const id = [plural, opts.namespace ?? '', opts.labelSelector ?? '', opts.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(id);
    if (!inf) {
      inf = new Informer<KubeObject>(this.clientset.resource<KubeObject>(plural), {
        resyncMs: this.opts.resyncMs ?? 0,
        ...opts,
        ...(this.opts.log ? { log: this.opts.log } : {}),
      });
      this.informers.set(id, inf);
    }
    return inf as unknown as Informer<T>;
  }

  /** Starts every informer made so far (again safe) and waits until all have synced. */
  async start(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  stop(): void {
    for (const i of this.informers.values()) i.stop();
  }
}
