// `kubectl explain` against skiff up reads the OpenAPI v3 component schemas: field names, types
// and descriptions, following $refs into nested definitions.
import assert from 'node:assert/strict';
import { useCluster, type Cluster, show } from './support.js';

describe('kubectl explain against skiff up (e2e)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  useCluster((c) => (cluster = c));
  const explain = async (path: string): Promise<string> => {
    const r = await cluster.kubectl(['explain', path]);
    assert.equal(r.code, 0, show(r));
    return r.stdout;
  };

  it('explains pods.spec.containers: the list type, its description and the Container fields with types', async () => {
    const out = await explain('pods.spec.containers');
    assert.match(out, /KIND:\s+Pod/);
    assert.match(out, /VERSION:\s+v1/);
    assert.match(out, /FIELD:\s+containers <\[\]Container>/);
    assert.match(out, /List of containers belonging to the pod/);
    assert.match(out, /^\s+image\s+<string>$/m);
    assert.match(out, /Container image name/);
    assert.match(out, /^\s+name\s+<string> -required-$/m);
    assert.match(out, /^\s+ports\s+<\[\]ContainerPort>$/m);
    assert.match(out, /^\s+env\s+<\[\]EnvVar>$/m);
  });

  it('explains deployment.spec.strategy with its fields and descriptions', async () => {
    const out = await explain('deployment.spec.strategy');
    assert.match(out, /GROUP:\s+apps/);
    assert.match(out, /KIND:\s+Deployment/);
    assert.match(out, /FIELD:\s+strategy <DeploymentStrategy>/);
    assert.match(out, /The deployment strategy to use to replace existing pods/);
    assert.match(out, /^\s+rollingUpdate\s+<RollingUpdateDeployment>$/m);
    assert.match(out, /^\s+type\s+<string>$/m);
    assert.match(out, /Can be "Recreate" or "RollingUpdate"/);
  });

  it('explains a kind at the top level and a nested int-or-string field', async () => {
    const top = await explain('deployments');
    assert.match(top, /Deployment enables declarative updates for Pods and ReplicaSets/);
    assert.match(top, /^\s+spec\s+<DeploymentSpec>$/m);
    const surge = await explain('deployment.spec.strategy.rollingUpdate.maxSurge');
    assert.match(surge, /FIELD:\s+maxSurge <IntOrString>/);
  });
});
