// The kubelet: node agent driving a CRI runtime. `skiff kubelet` and `skiff hollow-nodes` start it
// through here.
export { Kubelet, type KubeletOptions } from './kubelet.js';
export { FakeRuntime, type FakeBehaviour } from './fake-runtime.js';
export { connectRuntime, labels, type Runtime } from './runtime.js';
export { kubeletVersion } from './node-status.js';
export { streamProtocols, exitStatus } from './server.js';
export { defaultInternalIP } from './address.js';
