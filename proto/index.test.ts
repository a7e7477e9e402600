import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addRuntimeServices,
  bindServer,
  grpc,
  imageClient,
  loadRuntimeProto,
  RpcError,
  runtimeClient,
  type ImageHandlers,
  type RuntimeHandlers,
} from './index.js';

/** Every RPC answers UNIMPLEMENTED unless overridden. */
function handlers<H>(service: grpc.ServiceDefinition, overrides: Partial<H>): H {
  const all: Record<string, unknown> = {};
  for (const name of Object.keys(service)) {
    all[name] = async () => {
      throw new RpcError(grpc.status.UNIMPLEMENTED, `${name} not implemented`);
    };
  }
  return { ...all, ...overrides } as H;
}

describe('proto: runtime.v1 over a unix socket', () => {
  let dir: string;
  let server: grpc.Server;
  let endpoint: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-proto-'));
    endpoint = `unix://${join(dir, 'runtime.sock')}`;
    const proto = loadRuntimeProto();
    server = new grpc.Server();
    addRuntimeServices(
      server,
      handlers<RuntimeHandlers>(proto.RuntimeService.service, {
        Version: async () => ({ version: '0.1.0', runtimeName: 'test', runtimeVersion: '1.0.0', runtimeApiVersion: 'v1' }),
        ContainerStatus: async (req) => {
          if (req.containerId !== 'c1') throw new RpcError(grpc.status.NOT_FOUND, `container ${req.containerId} not found`);
          return { status: { id: 'c1', state: 'CONTAINER_EXITED', exitCode: 137, reason: 'OOMKilled', finishedAt: 1_700_000_000_123_456_000 } };
        },
        RunPodSandbox: async (req) => ({ podSandboxId: `${req.config?.metadata?.namespace}/${req.config?.metadata?.name}/${req.config?.dnsConfig?.servers.join(',')}` }),
      }),
      handlers<ImageHandlers>(proto.ImageService.service, {
        PullImage: async (req) => ({ imageRef: `ref:${req.image?.image}` }),
      }),
    );
    await bindServer(server, endpoint);
  });

  after(() => {
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips requests and responses with camelCase fields, enum names and defaults', async () => {
    const rt = runtimeClient(endpoint);
    const images = imageClient(endpoint);
    try {
      assert.equal((await rt.version({})).runtimeName, 'test');
      const sandbox = await rt.runPodSandbox({ config: { metadata: { name: 'p', namespace: 'ns' }, dnsConfig: { servers: ['10.96.0.10'] } } });
      assert.equal(sandbox.podSandboxId, 'ns/p/10.96.0.10');
      const status = (await rt.containerStatus({ containerId: 'c1' })).status;
      assert.ok(status);
      assert.equal(status.state, 'CONTAINER_EXITED');
      assert.equal(status.reason, 'OOMKilled');
      assert.equal(status.exitCode, 137);
      assert.equal(typeof status.finishedAt, 'number');
      assert.deepEqual(status.labels, {});
      assert.equal(status.metadata, null);
      assert.equal((await images.pullImage({ image: { image: 'busybox' } })).imageRef, 'ref:busybox');
    } finally {
      rt.close();
      images.close();
    }
  });

  it('reports handler errors with their gRPC status code', async () => {
    const rt = runtimeClient(endpoint);
    try {
      await assert.rejects(rt.containerStatus({ containerId: 'nope' }), (err: unknown) => {
        assert.ok(err instanceof RpcError);
        assert.equal(err.code, grpc.status.NOT_FOUND);
        assert.match(err.message, /container nope not found/);
        return true;
      });
      await assert.rejects(rt.execSync({ containerId: 'c1', cmd: ['true'] }), (err: unknown) => err instanceof RpcError && err.code === grpc.status.UNIMPLEMENTED);
    } finally {
      rt.close();
    }
  });
});
