// A seeded fuzzer: malformed and hostile requests to every resource's routes — broken and deeply
// nested JSON, wrong types in fields, every patch type with broken patches, bad selectors,
// resourceVersions and query values, unknown subresources, traversal in names, invalid UTF-8,
// bodies over 3 MB. Goal: no 5xx, the apiserver stays up, and everything stored reads back.
// SKIFF_FUZZ_SEED / SKIFF_FUZZ_COUNT replay or extend a run (npm test runs 2,000).
import assert from 'node:assert/strict';
import { resources, serves, type ResourceType } from '../api/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';

/** mulberry32: small, fast, and the same sequence for the same seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Req {
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
}

const junkValues: unknown[] = [null, true, 0, -1, 1.5, 2 ** 64, '', 'x', ' ', '\u0000', '💥', [], [1, 'a'], {}, { a: { b: null } }, 'a'.repeat(70_000)];
const badNames = ['', '..', '../..', '%2e%2e', 'a/b', 'UPPER', 'a'.repeat(300), 'spaces here', '-lead', 'trail-', 'x%00y', '%ZZ', 'é'];
const badQueries = [
  'labelSelector=a%20in%20(', 'labelSelector=!!', 'labelSelector=a%3D%3D%3Db', 'fieldSelector=metadata.nope%3Dx', 'fieldSelector=%3D%3D',
  'resourceVersion=abc', 'resourceVersion=-1', 'resourceVersion=99999999999999999999', 'resourceVersionMatch=Sideways', 'limit=-5', 'limit=abc',
  'continue=garbage', 'watch=maybe', 'timeoutSeconds=x', 'allowWatchBookmarks=7', 'dryRun=Maybe', 'fieldManager=' + 'm'.repeat(200),
  'propagationPolicy=Sideways', 'gracePeriodSeconds=abc', 'pretty=%ZZ',
];
const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** One hostile request, chosen by `r`. */
function generate(r: () => number, ns: string): Req {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const rt: ResourceType = pick(resources);
  const base = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
  const coll = `${base}${rt.namespaced ? `/namespaces/${ns}` : ''}/${rt.plural}`;
  const name = r() < 0.3 ? encodeURIComponent(pick(badNames)) : `f${Math.floor(r() * 20)}`;
  const obj = (): Record<string, unknown> => ({ apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version, kind: rt.kind, metadata: { name } });
  /** The object with one field, at some depth, set to junk. */
  const wrongTyped = (): string => {
    const o = obj();
    const fields = ['metadata', 'spec', 'status', 'data', 'metadata.labels', 'metadata.annotations', 'metadata.finalizers', 'metadata.ownerReferences', 'spec.containers', 'spec.selector', 'spec.replicas', 'spec.ports', 'spec.template', 'metadata.name', 'kind', 'apiVersion'];
    const path = pick(fields).split('.');
    let at: Record<string, unknown> = o;
    for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1] as string] = pick(junkValues);
    return JSON.stringify(o);
  };
  const brokenJson = (): string => pick(['{', '{"a":', '[', 'null', '"str"', '42', '{"metadata": {"name": 1}}', nested(Math.floor(r() * 5000) + 1), '{"a":1,"a":2}', '\u0000', 'key: value\n  - bad yaml']);
  switch (Math.floor(r() * 9)) {
    case 0:
      return { method: 'POST', path: coll, body: r() < 0.5 ? wrongTyped() : brokenJson(), contentType: 'application/json' };
    case 1:
      return { method: 'PUT', path: `${coll}/${name}`, body: wrongTyped(), contentType: 'application/json' };
    case 2: {
      const type = pick(patchTypes);
      const body = pick([brokenJson(), wrongTyped(), '[{"op":"explode","path":"/x"}]', '[{"op":"replace","path":"/metadata/name/../../x","value":1}]', '[{"op":"add","path":"","value":null}]', '{"$patch":"delete"}', '{"metadata":{"$retainKeys":5}}', '{"spec":{"containers":[{"$patch":"replace"}]}}']);
      return { method: 'PATCH', path: `${coll}/${name}${r() < 0.2 ? '/status' : ''}${type.includes('apply') ? '?fieldManager=fuzz' : ''}`, body, contentType: type };
    }
    case 3:
      return { method: 'GET', path: `${coll}?${pick(badQueries)}${r() < 0.3 ? `&${pick(badQueries)}` : ''}` };
    case 4:
      return { method: pick(['GET', 'PUT', 'POST', 'DELETE', 'PATCH']), path: `${coll}/${name}/${pick(['nope', 'status/extra', '..', 'scale', 'binding', 'log', 'exec', 'eviction', '%2F'])}`, body: '{}', contentType: 'application/json' };
    case 5:
      return { method: 'DELETE', path: `${coll}/${name}?${pick(badQueries)}`, body: pick(['{"kind":"DeleteOptions","gracePeriodSeconds":"x"}', '{"preconditions":{"uid":5}}', brokenJson(), '']), contentType: 'application/json' };
    case 6: {
      // Invalid UTF-8 inside an otherwise fine object.
      const good = Buffer.from(JSON.stringify({ ...obj(), metadata: { name, labels: { a: 'XX' } } }));
      const i = good.indexOf('XX');
      good[i] = 0xc3;
      good[i + 1] = 0x28;
      return { method: 'POST', path: coll, body: good, contentType: 'application/json' };
    }
    case 7:
      return { method: pick(['POST', 'PUT']), path: r() < 0.5 ? coll : `${coll}/${name}`, body: r() < 0.5 ? pick(['a: [', '{a: b', '- - -', 'x: !!binary ***', '&a [*a, *a]']) : `kind: ${rt.kind}\nmetadata: {name: ${name}, labels: {k: ${'v'.repeat(300)}}}`, contentType: 'application/yaml' };
    default:
      return { method: 'GET', path: pick([`${base}/${rt.plural}/../../../etc/passwd`, `${coll}/${name}?watch=true&resourceVersion=abc`, `${base}/namespaces/${encodeURIComponent(pick(badNames))}/${rt.plural}`, `/api/v1/namespaces/${ns}/pods/${name}/log?tailLines=x`, `/apis/nope.example/v1/things`, `${base}/${rt.plural}?labelSelector=${'a'.repeat(5000)}`]) };
  }
}

describe('apiserver fuzz: hostile requests get 4xx, never 5xx', function () {
  this.timeout(600_000);
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer();
    await fetch(`${server.url}/api/v1/namespaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz' } }) });
  });
  after(async () => {
    await server.close();
  });

  const send = async (q: Req): Promise<number> => {
    const res = await fetch(server.url + q.path, {
      method: q.method,
      headers: { accept: 'application/json', ...(q.contentType ? { 'content-type': q.contentType } : {}) },
      ...(q.body !== undefined && q.method !== 'GET' ? { body: typeof q.body === 'string' ? q.body : new Uint8Array(q.body) } : {}),
      signal: AbortSignal.timeout(20_000),
    });
    await res.arrayBuffer();
    return res.status;
  };

  it('a seeded run over every resource: 0 responses 5xx, and what is stored reads back', async () => {
    const seed = Number(process.env.SKIFF_FUZZ_SEED ?? 20261204);
    const count = Number(process.env.SKIFF_FUZZ_COUNT ?? 2000);
    const r = rng(seed);
    const failures: string[] = [];
    const byStatus = new Map<number, number>();
    // Generated up front (the seed alone decides them), sent by 8 clients at a time.
    const requests = Array.from({ length: count }, () => generate(r, 'fuzz'));
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < count; i = next++) {
        const q = requests[i] as Req;
        const status = await send(q).catch((err: Error) => 599 + (err.name === 'TimeoutError' ? 1 : 0));
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        if (status >= 500 && failures.length < 15) failures.push(`#${i} ${status} ${q.method} ${q.path.slice(0, 160)} ${q.contentType ?? ''} ${String(q.body ?? '').slice(0, 160)}`);
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 8 }, worker));
    const seconds = (Date.now() - t0) / 1000;
    // Bodies over 3 MB are refused with 413.
    const huge = await send({ method: 'POST', path: '/api/v1/namespaces/fuzz/configmaps', body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { a: 'x'.repeat(3.2 * 1024 * 1024) } }), contentType: 'application/json' });
    process.stdout.write(`      seed ${seed}, ${count} requests in ${seconds.toFixed(1)} s: ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}; >3 MB body → ${huge}\n`);
    assert.deepEqual(failures, [], `5xx answers (replay with SKIFF_FUZZ_SEED=${seed})`);
    assert.equal(huge, 413);
    for (const rt of resources.filter((r) => serves(r, 'list'))) {
      const base = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
      assert.equal(await send({ method: 'GET', path: `${base}/${rt.plural}` }), 200, `${rt.plural} lists after the run`);
    }
  });
});
