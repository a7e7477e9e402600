// Every controller the manager can run, in start order. `--controllers` picks among these names.
import type { ControllerDef } from './context.js';
import { endpointsController } from './endpoints/index.js';
import { endpointSliceController } from './endpointslice/index.js';
import { garbageCollectorController } from './garbagecollector/index.js';
import { namespaceController } from './namespace/index.js';
import { nodeIpamController } from './nodeipam/index.js';
import { nodeLifecycleController } from './nodelifecycle/index.js';
import { podGcController } from './podgc/index.js';
import { replicaSetController } from './replicaset/index.js';
import { replicationControllerController } from './replicationcontroller/index.js';
import { deploymentController } from './deployment/index.js';
import { disruptionController } from './disruption/index.js';
import { cronJobController } from './cronjob/index.js';
import { daemonSetController } from './daemonset/index.js';
import { jobController } from './job/index.js';
import { statefulSetController } from './statefulset/index.js';
import { ttlAfterFinishedController } from './ttlafterfinished/index.js';

/** Knobs of individual controllers (flags of `skiff controller-manager`). */
export interface ControllerSettings {
  clusterCidr: string;
  nodeCidrMaskSize: number;
  nodeMonitorGracePeriodMs: number;
  nodeMonitorPeriodMs: number;
  podGcPeriodMs: number;
  terminatedPodGcThreshold: number;
}

export const defaultSettings: ControllerSettings = {
  clusterCidr: '10.244.0.0/16',
  nodeCidrMaskSize: 24,
  nodeMonitorGracePeriodMs: 40_000,
  nodeMonitorPeriodMs: 5_000,
  podGcPeriodMs: 20_000,
  terminatedPodGcThreshold: 12_500,
};

export function controllerDefs(settings: Partial<ControllerSettings> = {}): ControllerDef[] {
  const s = { ...defaultSettings, ...settings };
  return [
    replicaSetController,
    deploymentController,
    disruptionController,
    replicationControllerController,
    endpointsController,
    endpointSliceController,
    garbageCollectorController,
    namespaceController(),
    nodeIpamController({ clusterCidr: s.clusterCidr, maskSize: s.nodeCidrMaskSize }),
    nodeLifecycleController({ gracePeriodMs: s.nodeMonitorGracePeriodMs, monitorPeriodMs: s.nodeMonitorPeriodMs }),
    podGcController({ periodMs: s.podGcPeriodMs, terminatedThreshold: s.terminatedPodGcThreshold }),
    daemonSetController(),
    statefulSetController(),
    jobController(),
    cronJobController(),
    ttlAfterFinishedController(),
  ];
}

/**
 * kube-controller-manager's `--controllers` syntax: `*` is every controller, `name` enables one,
 * `-name` disables one. Unknown names are an error, so a typo never silently disables work.
 */
export function selectControllers(all: ControllerDef[], spec: string[]): ControllerDef[] {
  const known = new Set(all.map((d) => d.name));
  for (const item of spec) {
    const name = item.replace(/^-/, '');
    if (name !== '*' && !known.has(name)) throw new Error(`--controllers: unknown controller "${name}" (known: ${[...known].join(', ')})`);
  }
  const star = spec.includes('*');
  return all.filter((d) => !spec.includes(`-${d.name}`) && (star || spec.includes(d.name)));
}
