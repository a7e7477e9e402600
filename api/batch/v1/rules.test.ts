// Job and CronJob defaulting and validation, as the apiserver runs them on a create.
import assert from 'node:assert/strict';
import { decodeObject } from '../../decode.js';
import { findByKind } from '../../registry.js';
import type { KubeObject } from '../../resource.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const template = (): Obj => ({ spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } });
const job = (spec: Obj = {}): Obj => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default' }, spec: { template: template(), ...spec } });
const cronJob = (spec: Obj = {}): Obj => ({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick', namespace: 'default' },
  spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: template() } }, ...spec },
});

/** decode → defaults → uid + prepareForCreate → validate, as rest.ts create does. */
function create(input: Obj, old?: KubeObject): { value: Obj; errors: string[] } {
  const rt = findByKind(String(input.apiVersion), String(input.kind));
  assert.ok(rt);
  const res = decodeObject(rt, structuredClone(input));
  assert.ok(res.value, JSON.stringify(res.errors));
  rt.setDefaults(res.value, old);
  if (!old) {
    res.value.metadata.uid = '11111111-2222-3333-4444-555555555555';
    rt.prepareForCreate?.(res.value);
  }
  return { value: res.value as Obj, errors: rt.validate(res.value, old).map((e) => `${e.field}: ${e.message}`) };
}

describe('batch/v1 Job rules', () => {
  it('defaults as Kubernetes and generates the selector and labels from the uid', () => {
    const { value, errors } = create(job());
    assert.deepEqual(errors, []);
    const s = value.spec;
    assert.equal(s.parallelism, 1);
    assert.equal(s.completions, 1);
    assert.equal(s.backoffLimit, 6);
    assert.equal(s.completionMode, 'NonIndexed');
    assert.equal(s.suspend, false);
    assert.equal(s.podReplacementPolicy, 'TerminatingOrFailed');
    assert.deepEqual(s.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': '11111111-2222-3333-4444-555555555555' } });
    assert.equal(s.template.metadata.labels['batch.kubernetes.io/job-name'], 'pi');
    assert.equal(s.template.metadata.labels['job-name'], 'pi');
    assert.equal(s.template.metadata.labels['controller-uid'], '11111111-2222-3333-4444-555555555555');
  });

  it('keeps completions unset for a work queue (parallelism only); backoffLimitPerIndex defaults backoffLimit to MaxInt32', () => {
    assert.equal(create(job({ parallelism: 3 })).value.spec.completions, undefined);
    const indexed = create(job({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 })).value;
    assert.equal(indexed.spec.backoffLimit, 2147483647);
    const pfp = create(job({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } })).value;
    assert.equal(pfp.spec.podReplacementPolicy, 'Failed');
    assert.equal(pfp.spec.podFailurePolicy.rules[0].onPodConditions[0].status, 'True');
  });

  const invalid: Array<[string, Obj, string]> = [
    ['restartPolicy Always', job({ template: { spec: { containers: [{ name: 'c', image: 'b' }] } } }), 'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
    ['negative parallelism', job({ parallelism: -1 }), 'spec.parallelism: Invalid value: -1: must be greater than or equal to 0'],
    ['negative backoffLimit', job({ backoffLimit: -2 }), 'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0'],
    ['unknown completionMode', job({ completionMode: 'Sorted' }), 'spec.completionMode: Unsupported value: "Sorted": supported values: "NonIndexed", "Indexed"'],
    ['Indexed without completions', job({ completionMode: 'Indexed', parallelism: 2 }), 'spec.completions: Required value: when completion mode is Indexed'],
    ['backoffLimitPerIndex not Indexed', job({ backoffLimitPerIndex: 1 }), 'spec.backoffLimitPerIndex: Forbidden: requires indexed completion mode'],
    ['podFailurePolicy with OnFailure', job({ template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'b' }] } }, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }),
      'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'],
    ['podFailurePolicy bad action', job({ podFailurePolicy: { rules: [{ action: 'Retry', onExitCodes: { operator: 'In', values: [1] } }] } }),
      'spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"'],
    ['manualSelector without selector', job({ manualSelector: true }), 'spec.selector: Required value'],
  ];
  for (const [name, input, error] of invalid) {
    it(`rejects ${name}, naming the field`, () => assert.ok(create(input).errors.includes(error), JSON.stringify(create(input).errors)));
  }

  it('freezes the template of a started Job but not of a suspended, never-started one', () => {
    const created = create(job()).value as KubeObject;
    const changed = structuredClone(created) as Obj;
    changed.spec.template.spec.containers[0].image = 'other';
    assert.match(create(changed, created).errors.join('\n'), /^spec.template: Invalid value: .*: field is immutable$/m);
    const suspended = create(job({ suspend: true })).value as KubeObject;
    const edited = structuredClone(suspended) as Obj;
    edited.spec.template.spec.containers[0].image = 'other';
    assert.deepEqual(create(edited, suspended).errors, []);
  });
});

describe('batch/v1 CronJob rules', () => {
  it('defaults policy, suspend and history limits', () => {
    const { value, errors } = create(cronJob());
    assert.deepEqual(errors, []);
    assert.equal(value.spec.concurrencyPolicy, 'Allow');
    assert.equal(value.spec.suspend, false);
    assert.equal(value.spec.successfulJobsHistoryLimit, 3);
    assert.equal(value.spec.failedJobsHistoryLimit, 1);
    assert.equal(value.spec.jobTemplate.spec.backoffLimit, undefined, 'Job defaults apply when the Job is created');
  });

  const invalid: Array<[string, Obj, string]> = [
    ['a bad schedule', cronJob({ schedule: '61 * * * *' }), 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    ['TZ in the schedule', cronJob({ schedule: 'TZ=UTC 0 * * * *' }), 'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ['an unknown time zone', cronJob({ timeZone: 'Mars/Olympus' }), 'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
    ['an unknown concurrencyPolicy', cronJob({ concurrencyPolicy: 'Sometimes' }), 'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
    ['a job template with restartPolicy Always', cronJob({ jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'b' }] } } } } }),
      'spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
    ['a 53-character name', { ...cronJob(), metadata: { name: 'x'.repeat(53), namespace: 'default' } }, `metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`],
  ];
  for (const [name, input, error] of invalid) {
    it(`rejects ${name}, naming the field`, () => assert.ok(create(input).errors.includes(error), JSON.stringify(create(input).errors)));
  }
});
