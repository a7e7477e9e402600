import assert from 'node:assert/strict';
import type { ContainerConfig } from '../../proto/index.js';
import { processFor } from './process.js';

const files: Record<string, string> = {
  'etc/passwd': 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n',
  'etc/group': 'root:x:0:\napp:x:1000:\nextra:x:2000:app\nother:x:3000:someone\n',
};
const read = async (rel: string): Promise<string | undefined> => files[rel];

function config(extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { command: [], args: [], envs: [], workingDir: '', linux: null, ...extra } as unknown as ContainerConfig;
}
const image = { Entrypoint: ['/entry'], Cmd: ['image-cmd'], Env: ['PATH=/bin', 'A=image', 'B=image'], WorkingDir: '/work', User: 'app' };

describe('container process from the image config (Kubernetes rules)', () => {
  it('no command or args: Entrypoint + Cmd, image env, workdir, user by name with its groups', async () => {
    const p = await processFor(config(), image, read);
    assert.deepEqual(p.args, ['/entry', 'image-cmd']);
    assert.deepEqual(p.env, ['PATH=/bin', 'A=image', 'B=image']);
    assert.equal(p.cwd, '/work');
    assert.deepEqual([p.uid, p.gid, p.additionalGids], [1000, 1000, [1000, 2000]]);
  });

  it('args only replace Cmd; command replaces Entrypoint and drops Cmd', async () => {
    assert.deepEqual((await processFor(config({ args: ['x'] }), image, read)).args, ['/entry', 'x']);
    assert.deepEqual((await processFor(config({ command: ['/bin/sh'] }), image, read)).args, ['/bin/sh']);
    assert.deepEqual((await processFor(config({ command: ['/bin/sh'], args: ['-c', 'true'] }), image, read)).args, ['/bin/sh', '-c', 'true']);
  });

  it("the pod's env overrides the image's by name; workingDir overrides", async () => {
    const p = await processFor(config({ envs: [{ key: 'B', value: 'pod' }, { key: 'C', value: 'pod' }], workingDir: '/pod' }), image, read);
    assert.deepEqual(p.env, ['PATH=/bin', 'A=image', 'B=pod', 'C=pod']);
    assert.equal(p.cwd, '/pod');
  });

  it('runAsUser/runAsGroup override the image user; uid:gid and name:group forms resolve', async () => {
    const sc = (s: object): Partial<ContainerConfig> => ({ linux: { securityContext: { supplementalGroups: [], ...s } } } as unknown as Partial<ContainerConfig>);
    const p = await processFor(config(sc({ runAsUser: { value: 4242 }, runAsGroup: { value: 7 }, supplementalGroups: [9] })), image, read);
    assert.deepEqual([p.uid, p.gid, p.additionalGids], [4242, 7, [7, 9]]);
    const q = await processFor(config(), { ...image, User: '1000:extra' }, read);
    assert.deepEqual([q.uid, q.gid, q.additionalGids], [1000, 2000, [2000]]);
    const r = await processFor(config(), { ...image, User: '' }, read);
    assert.deepEqual([r.uid, r.gid], [0, 0]);
  });

  it('names an unknown user, and a container with nothing to run', async () => {
    await assert.rejects(processFor(config(), { ...image, User: 'ghost' }, read), /user "ghost" is not in the image's \/etc\/passwd/);
    await assert.rejects(processFor(config(), { Env: [] }, read), /config.command: the image has no Entrypoint or Cmd/);
  });
});
