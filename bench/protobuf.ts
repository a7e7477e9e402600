// Protobuf against JSON on the apiserver's wire, same run, same apiserver process: its CPU per
// create (the body decoded, the answer encoded) and per list of every pod (the answer encoded).
// Kubernetes' own components use protobuf because it is cheaper for the apiserver; this says
// whether that holds here.
import { request, Agent } from 'node:http';
import { encodeObject } from '../api/protobuf/index.js';
import { startTestEtcd } from '../testing/etcd.js';
import { pool, startApiserverProcess } from './apiserver.js';
import { cpuMeter } from './cpu.js';

const protobuf = 'application/vnd.kubernetes.protobuf';
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface ProtobufBenchOptions {
  pods: number;
  lists: number;
  concurrency: number;
}

/** A pod as a Deployment's ReplicaSet creates it: labels, owner, one container with ports, env, mounts. */
function pod(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: { app: 'web', 'pod-template-hash': '7d9c6b8f5' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c6b8f5', uid: '9a8b7c6d-0000-4000-8000-000000000004', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [{
        name: 'nginx',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80, name: 'http' }],
        env: [{ name: 'MODE', value: 'production' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
      }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
  };
}

function call(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      let bytes = 0;
      let text = '';
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (text.length < 300) text += c.toString('utf8', 0, 300);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

type Wire = 'json' | 'protobuf';
const headersOf = (wire: Wire, body: boolean): Record<string, string> => ({
  accept: wire === 'json' ? 'application/json' : `${protobuf},application/json`,
  ...(body ? { 'content-type': wire === 'json' ? 'application/json' : protobuf } : {}),
});

export async function benchProtobuf(opts: ProtobufBenchOptions): Promise<void> {
  const etcd = await startTestEtcd();
  const api = await startApiserverProcess(etcd.url);
  try {
    const pid = api.child.pid!;
    const nsUrl = (ns: string) => `${api.url}/api/v1/namespaces/${ns}/pods`;
    const perCreate: Record<Wire, number> = { json: 0, protobuf: 0 };
    for (const wire of ['json', 'protobuf'] as const) {
      await call(`${api.url}/api/v1/namespaces`, 'POST', headersOf('json', true), Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${wire}` } })));
    }
    // Warm both paths (JIT, connection pool) before measuring.
    for (const wire of ['json', 'protobuf'] as const) {
      await pool(200, opts.concurrency, async (i) => {
        const obj = pod(`warm-${wire}-${i}`);
        await call(nsUrl('default'), 'POST', headersOf(wire, true), wire === 'json' ? Buffer.from(JSON.stringify(obj)) : encodeObject(obj));
      });
    }
    let failed = 0;
    for (const wire of ['json', 'protobuf'] as const) {
      const bodies = Array.from({ length: opts.pods }, (_, i) => {
        const obj = pod(`pod-${i}`);
        return wire === 'json' ? Buffer.from(JSON.stringify(obj)) : encodeObject(obj);
      });
      const meter = cpuMeter({ apiserver: pid });
      await pool(opts.pods, opts.concurrency, async (i) => {
        const r = await call(nsUrl(`bench-${wire}`), 'POST', headersOf(wire, true), bodies[i]);
        if (r.status !== 201) failed++;
      });
      perCreate[wire] = (meter.stop().apiserver ?? NaN) / opts.pods;
    }
    const perList: Record<Wire, number> = { json: 0, protobuf: 0 };
    const size: Record<Wire, number> = { json: 0, protobuf: 0 };
    for (const wire of ['json', 'protobuf'] as const) {
      await call(nsUrl('bench-json'), 'GET', headersOf(wire, false)); // warm
      const meter = cpuMeter({ apiserver: pid });
      for (let i = 0; i < opts.lists; i++) {
        const r = await call(nsUrl('bench-json'), 'GET', headersOf(wire, false));
        if (r.status !== 200) throw new Error(`listing ${opts.pods} pods answered ${r.status}: ${r.text}`);
        size[wire] = r.bytes;
      }
      perList[wire] = (meter.stop().apiserver ?? NaN) / opts.lists;
    }
    console.log(`apiserver CPU per pod create: JSON ${perCreate.json.toFixed(3)} ms, protobuf ${perCreate.protobuf.toFixed(3)} ms, protobuf ÷ JSON ${(perCreate.protobuf / perCreate.json).toFixed(2)}  (${opts.pods} each, concurrency ${opts.concurrency}, ${failed} failed)`);
    console.log(`apiserver CPU per list of ${opts.pods} pods: JSON ${perList.json.toFixed(1)} ms (${(size.json / 1e6).toFixed(1)} MB), protobuf ${perList.protobuf.toFixed(1)} ms (${(size.protobuf / 1e6).toFixed(1)} MB), protobuf ÷ JSON ${(perList.protobuf / perList.json).toFixed(2)}  (${opts.lists} lists each)`);
  } finally {
    api.child.kill('SIGTERM');
    await etcd.stop();
  }
}
