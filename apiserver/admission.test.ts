// The write pipeline inside the registry: mutating admission → validation → validating admission
// → strategy, with the writer's identity at every step; a refusal leaves nothing written.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { findResource } from '../api/registry.js';
import type { KubeObject } from '../api/resource.js';
import { testEtcdUrl } from '../testing/etcd.js';
import { AdmissionChain, type AdmissionRequest } from './admission/chain.js';
import type { UserInfo } from './auth/user.js';
import { ApiError } from './errors.js';
import { Registry } from './registry/rest.js';
import { strategyTable } from './registry/strategy.js';
import { Store } from './storage/store.js';

describe('admission chain in the registry', () => {
  const configmaps = findResource('', 'v1', 'configmaps')!;
  const alice: UserInfo = { name: 'alice', uid: 'u-1', groups: ['dev', 'system:authenticated'] };
  let store: Store;
  let registry: Registry;
  const seen: string[] = [];
  const users: string[] = [];
  before(() => {
    store = new Store([testEtcdUrl()]);
    const chain = new AdmissionChain([
      {
        name: 'Labeler',
        mutate(a: AdmissionRequest) {
          seen.push(`mutate ${a.operation}`);
          users.push(a.user.name);
          if (a.object) a.object.metadata.annotations = { ...a.object.metadata.annotations, 'written-by': a.user.name };
        },
      },
      {
        name: 'NoSecretsInData',
        validate(a: AdmissionRequest) {
          seen.push(`validate ${a.operation}`);
          const data = (a.object as KubeObject & { data?: Record<string, string> } | undefined)?.data ?? {};
          if (Object.values(data).includes('hunter2')) throw new ApiError(403, 'Forbidden', 'no passwords in configmaps');
          if (a.operation === 'DELETE' && a.oldObject?.metadata.labels?.keep === 'yes') throw new ApiError(403, 'Forbidden', 'kept');
        },
      },
    ]);
    registry = new Registry(store, `/t-${randomBytes(6).toString('hex')}/registry`, strategyTable(), chain);
  });
  after(() => store.close());
  beforeEach(() => {
    seen.length = 0;
    users.length = 0;
  });

  it('mutates before validating and passes the writer on every operation', async () => {
    const { obj } = await registry.create(configmaps, 'default', { metadata: { name: 'a' }, data: { x: '1' } }, { user: alice });
    assert.equal(obj.metadata.annotations?.['written-by'], 'alice');
    const upd = await registry.update(configmaps, 'default', 'a', { ...obj, data: { x: '2' } }, { user: { ...alice, name: 'bob' } });
    assert.equal(upd.obj.metadata.annotations?.['written-by'], 'bob');
    await registry.delete(configmaps, 'default', 'a', { user: alice });
    assert.deepEqual(seen, ['mutate CREATE', 'validate CREATE', 'mutate UPDATE', 'validate UPDATE', 'mutate DELETE', 'validate DELETE']);
    assert.deepEqual(users, ['alice', 'bob', 'alice']);
  });

  it('runs validating admission only on objects the kind accepts, and a refusal writes nothing', async () => {
    await assert.rejects(registry.create(configmaps, 'default', { metadata: { name: 'BAD_NAME' } }, { user: alice }), (e: ApiError) => e.code === 422);
    assert.deepEqual(seen, ['mutate CREATE'], 'the validating plugin never saw an invalid object');
    await assert.rejects(registry.create(configmaps, 'default', { metadata: { name: 'pw' }, data: { p: 'hunter2' } }), /no passwords/);
    await assert.rejects(registry.get(configmaps, 'default', 'pw'), (e: ApiError) => e.code === 404);
  });

  it('lets a plugin refuse a delete', async () => {
    await registry.create(configmaps, 'default', { metadata: { name: 'kept', labels: { keep: 'yes' } } });
    await assert.rejects(registry.delete(configmaps, 'default', 'kept'), /kept/);
    assert.equal((await registry.get(configmaps, 'default', 'kept')).metadata.name, 'kept');
  });

  it('writes as the apiserver itself when no user is given', async () => {
    const { obj } = await registry.create(configmaps, 'default', { metadata: { name: 'sys' } });
    assert.equal(obj.metadata.annotations?.['written-by'], 'system:apiserver');
  });
});
