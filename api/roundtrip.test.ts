// Real manifests decode without errors or unknown fields, and keep every field through decode → default → validate.
import assert from 'node:assert/strict';
import * as docs from './testdata/manifests.testkit.js';
import * as stored from './testdata/manifests-status.testkit.js';
import { richPod } from './testdata/rich-pod.testkit.js';
import { loadYaml, missingLeaves, processObject } from './testdata/helpers.testkit.js';

const all: Record<string, string> = { ...docs, ...stored, richPod };

describe('round trip of documentation and cluster manifests', () => {
  for (const [name, text] of Object.entries(all)) {
    it(name, () => {
      for (const input of loadYaml(text)) {
        const res = processObject(input);
        assert.deepEqual(res.decodeErrors, [], 'decode errors');
        assert.deepEqual(res.unknownFields, [], 'unknown fields');
        assert.deepEqual(res.errors, [], 'validation errors');
        const expected = structuredClone(input);
        // stringData is folded into data by defaulting; checked separately below.
        if (input.kind === 'Secret') delete expected.stringData;
        assert.deepEqual(missingLeaves(expected, res.value), [], 'fields lost');
      }
    });
  }

  it('folds Secret stringData into base64 data', () => {
    const [input] = loadYaml(docs.secretWithStringData);
    assert.ok(input);
    const res = processObject(input);
    const value = res.value as { data?: Record<string, string>; stringData?: unknown; type?: string };
    assert.equal(value.stringData, undefined);
    assert.equal(value.type, 'Opaque');
    assert.equal(value.data?.username, 'YWRtaW4=');
    assert.equal(Buffer.from(value.data?.['config.yaml'] ?? '', 'base64').toString(), 'apiUrl: "https://my.api.com/api/v1"\nusername: admin\n');
  });

  it('re-decodes its own output unchanged (defaulting is idempotent)', () => {
    for (const text of Object.values(all)) {
      for (const input of loadYaml(text)) {
        const once = processObject(input);
        assert.ok(once.value);
        const twice = processObject(structuredClone(once.value) as Record<string, unknown>);
        assert.deepEqual(twice.value, once.value);
        assert.deepEqual(twice.errors, []);
      }
    }
  });
});
