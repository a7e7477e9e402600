// A controller is a reconcile(key) function plus wiring. All retry policy lives here: the
// reconcile function reports an Outcome and this decides what happens to the key next.
import type { Informer } from './informer.js';
import { createLogger, type Logger } from './log.js';
import { controllerOf, keyOf, type KubeObject } from './objects.js';
import { WorkQueue, type RateLimits } from './workqueue.js';

export type Outcome =
  | { kind: 'done' }
  | { kind: 'requeueAfter'; ms: number }
  | { kind: 'retry'; error: Error }
  | { kind: 'terminal'; error: Error };

export const done: Outcome = { kind: 'done' };
export const requeueAfter = (ms: number): Outcome => ({ kind: 'requeueAfter', ms });
export const retry = (error: Error): Outcome => ({ kind: 'retry', error });
export const terminal = (error: Error): Outcome => ({ kind: 'terminal', error });

/**
 * Sees every controller's reconciles and queue (for metrics). A process opts in explicitly with
 * observeControllers(); nothing is observed otherwise.
 */
export interface ControllerObserver {
  started?(controller: Controller): void;
  stopped?(controller: Controller): void;
  reconciled?(controller: string, outcome: Outcome['kind'], seconds: number): void;
}

const observers = new Set<ControllerObserver>();

/** Registers an observer of every Controller in this process; returns the unregister function. */
export function observeControllers(o: ControllerObserver): () => void {
  observers.add(o);
  return () => observers.delete(o);
}

export interface ControllerOptions {
  name: string;
  reconcile: (key: string) => Promise<Outcome>;
  workers?: number;
  limits?: Partial<RateLimits>;
  log?: Logger;
}

/** Maps an object event to the keys to reconcile; undefined or [] = nothing. */
export type KeyMapper<T> = (obj: T) => string | string[] | undefined;

export class Controller {
  readonly queue: WorkQueue;
  readonly name: string;
  private readonly log: Logger;
  private readonly reconcile: (key: string) => Promise<Outcome>;
  private readonly workers: number;

  constructor(opts: ControllerOptions) {
    this.name = opts.name;
    this.reconcile = opts.reconcile;
    this.workers = opts.workers ?? 2;
    this.queue = new WorkQueue(opts.limits);
    this.log = (opts.log ?? createLogger('controller')).child({ controller: opts.name });
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /**
   * Reconcile on every change of `informer`'s objects: by default the object's own key, or the
   * keys `map` returns (e.g. `ownerKey('ReplicaSet')` for pods owned by a ReplicaSet).
   */
  watch<T extends KubeObject>(informer: Informer<T>, map: KeyMapper<T> = keyOf): this {
    const enqueue = (obj: T): void => {
      const keys = map(obj);
      if (keys === undefined) return;
      for (const k of Array.isArray(keys) ? keys : [keys]) this.queue.add(k);
    };
    informer.on({
      add: enqueue,
      update: (oldObj, newObj) => {
        enqueue(newObj);
        // An owner change or label change must also wake the old owner.
        if (oldObj !== newObj) enqueue(oldObj);
      },
      delete: enqueue,
    });
    return this;
  }

  /** Runs the workers until `signal` aborts; resolves when they have stopped. */
  async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (signal.aborted) this.queue.shutDown();
    for (const o of observers) o.started?.(this);
    try {
      await Promise.all(Array.from({ length: this.workers }, () => this.worker()));
    } finally {
      for (const o of observers) o.stopped?.(this);
    }
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      let outcome: Outcome;
      const began = performance.now();
      try {
        outcome = await this.reconcile(key);
      } catch (err) {
        outcome = retry(err instanceof Error ? err : new Error(String(err)));
      }
      for (const o of observers) o.reconciled?.(this.name, outcome.kind, (performance.now() - began) / 1000);
      this.settle(key, outcome);
      this.queue.done(key);
    }
  }

  private settle(key: string, outcome: Outcome): void {
    switch (outcome.kind) {
      case 'done':
        this.queue.forget(key);
        return;
      case 'requeueAfter':
        this.queue.forget(key);
        this.queue.addAfter(key, outcome.ms);
        return;
      case 'retry': {
        const n = this.queue.numRequeues(key);
        // Conflicts are routine under concurrency: say them quietly.
        const level = n < 3 ? 'debug' : 'warn';
        this.log[level]({ key, attempt: n + 1, err: outcome.error.message }, 'reconcile failed; retrying');
        this.queue.addRateLimited(key);
        return;
      }
      case 'terminal':
        this.queue.forget(key);
        this.log.error({ key, err: outcome.error.message }, 'reconcile failed; not retrying');
    }
  }
}

/** Maps an owned object to its controller owner's key when the owner is of `kind`. */
export function ownerKey(kind: string): KeyMapper<KubeObject> {
  return (obj) => {
    const ref = controllerOf(obj);
    if (!ref || ref.kind !== kind) return undefined;
    const ns = obj.metadata?.namespace;
    return ns ? `${ns}/${ref.name}` : ref.name;
  };
}
