// Host ports: a pod asking for a hostPort fits only where no placed pod holds the same
// protocol/port on an overlapping IP (0.0.0.0 overlaps everything).
import { SKIP, SUCCESS, unschedulable, type FilterPlugin, type PreFilterPlugin } from '../framework.js';
import type { HostPort } from '../pod-info.js';

export const ERR_PORTS = "node(s) didn't have free ports for the requested pod ports";
const rejected = unschedulable(ERR_PORTS);

export function portsConflict(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

export const nodePorts: PreFilterPlugin & FilterPlugin = {
  name: 'NodePorts',
  preFilter: (_state, pod) => (pod.hostPorts.length > 0 ? SUCCESS : SKIP),
  filter: (_state, pod, node) => {
    for (const want of pod.hostPorts) for (const used of node.usedPorts) if (portsConflict(want, used)) return rejected;
    return SUCCESS;
  },
};
