// Test and benchmark wiring: controllers as the manager would run them, against a given
// apiserver, plus the fake nodes that make their pods Running and Ready.
import { Clientset, EventRecorder, InformerFactory, createLogger } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { FakeNodes, type FakeNodesOptions } from './fake-nodes.testkit.js';

export interface Harness {
  clientset: Clientset;
  nodes: FakeNodes;
  stop(): Promise<void>;
}

export async function runControllers(server: string, defs: ControllerDef[], nodeOpts: FakeNodesOptions = {}): Promise<Harness> {
  const clientset = new Clientset({ server }, { userAgent: 'skiff-controller-test' });
  const factory = new InformerFactory(clientset, { resyncMs: 30_000 });
  const log = createLogger('controller-manager');
  const recorder = new EventRecorder(clientset, 'controller-manager', undefined, log);
  const runners = defs.map((d) => d.setup({ clientset, factory, recorder, log }));
  await factory.start();
  const abort = new AbortController();
  const running = runners.map((r) => r.run(abort.signal));
  const nodes = new FakeNodes(clientset, nodeOpts);
  await nodes.start();
  return {
    clientset,
    nodes,
    async stop() {
      nodes.stop();
      abort.abort();
      await Promise.all(running);
      factory.stop();
      clientset.close();
    },
  };
}

/** Polls until the probe returns something other than undefined/false (the apiserver tests' helper). */
export { waitFor as eventually } from '../../apiserver/client.testkit.js';
