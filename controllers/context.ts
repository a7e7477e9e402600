// What every controller gets from the controller manager: one clientset, one shared informer
// factory (so a resource is listed and watched once per process), an event recorder and a logger.
import type { Clientset, EventRecorder, InformerFactory, Logger } from '../client/index.js';

export interface ControllerContext {
  clientset: Clientset;
  factory: InformerFactory;
  recorder: EventRecorder;
  log: Logger;
}

/**
 * A controller as the manager sees it: `setup` registers informers and handlers (before the
 * factory starts), `run` works until the signal aborts (called after the caches have synced).
 */
export interface ControllerDef {
  name: string;
  setup(ctx: ControllerContext): { run(signal: AbortSignal): Promise<void> };
}
