// Validation of Pod, PodSpec, PodTemplateSpec and volumes (pkg/apis/core/validation).
import type { FieldError } from '../../resource.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import {
  deepEqual, duplicateError, forbiddenError, invalidError, isConfigMapKey, isDns1123Label, isDns1123Subdomain,
  isValidIP, notSupportedError, requiredError, validateAnnotations, validateEnum, validateLabels,
  validateNonNegative, validateOptionalName,
} from '../../validation.js';
import type { Container } from './container.js';
import { validateContainerList, validateResources } from './container-validation.js';
import type { KeyToPath } from './common.js';
import type { Pod, PodSpec, PodTemplateSpec } from './pod.js';
import { volumeSources } from './pod-defaults.js';
import {
  validateAffinity, validateNodeSelectorMap, validateTolerations, validateTopologySpreadConstraints,
} from './scheduling-validation.js';
import type { Volume } from './volume.js';

export const supportedRestartPolicies = ['Always', 'Never', 'OnFailure'] as const;
export const supportedDNSPolicies = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const;

function validateKeyToPaths(items: KeyToPath[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, it] of (items ?? []).entries()) {
    const f = `${field}[${i}]`;
    if (!it.key) errs.push(requiredError(`${f}.key`));
    else errs.push(...isConfigMapKey(it.key).map((e) => invalidError(`${f}.key`, it.key, e)));
    errs.push(...validateLocalPath(it.path, `${f}.path`));
    if (it.mode !== undefined && (it.mode < 0 || it.mode > 0o777)) {
      errs.push(invalidError(`${f}.mode`, it.mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
    }
  }
  return errs;
}

function validateLocalPath(path: string, field: string): FieldError[] {
  if (!path) return [requiredError(field)];
  if (path.startsWith('/')) return [invalidError(field, path, 'must be a relative path')];
  if (path.split('/').includes('..')) return [invalidError(field, path, "must not contain '..'")];
  return [];
}

function validateMode(mode: number | undefined, field: string): FieldError[] {
  return mode !== undefined && (mode < 0 || mode > 0o777)
    ? [invalidError(field, mode, 'must be a number between 0 and 0777 (octal), both inclusive')]
    : [];
}

/** Volume-source specific checks for the commonly used sources. */
function validateVolumeSource(v: Volume, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v.hostPath) {
    if (!v.hostPath.path) errs.push(requiredError(`${field}.hostPath.path`));
    errs.push(...validateEnum(v.hostPath.type, `${field}.hostPath.type`,
      ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket']));
  }
  if (v.emptyDir) errs.push(...validateEnum(v.emptyDir.medium, `${field}.emptyDir.medium`, ['', 'HugePages', 'Memory']));
  if (v.configMap) {
    if (!v.configMap.name) errs.push(requiredError(`${field}.configMap.name`));
    errs.push(...validateMode(v.configMap.defaultMode, `${field}.configMap.defaultMode`));
    errs.push(...validateKeyToPaths(v.configMap.items, `${field}.configMap.items`));
  }
  if (v.secret) {
    if (!v.secret.secretName) errs.push(requiredError(`${field}.secret.secretName`));
    errs.push(...validateMode(v.secret.defaultMode, `${field}.secret.defaultMode`));
    errs.push(...validateKeyToPaths(v.secret.items, `${field}.secret.items`));
  }
  if (v.downwardAPI) {
    errs.push(...validateMode(v.downwardAPI.defaultMode, `${field}.downwardAPI.defaultMode`));
    for (const [i, it] of (v.downwardAPI.items ?? []).entries()) {
      const f = `${field}.downwardAPI.items[${i}]`;
      errs.push(...validateLocalPath(it.path, `${f}.path`));
      const n = (it.fieldRef ? 1 : 0) + (it.resourceFieldRef ? 1 : 0);
      if (n !== 1) errs.push(invalidError(f, '', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    }
  }
  if (v.projected) {
    errs.push(...validateMode(v.projected.defaultMode, `${field}.projected.defaultMode`));
    for (const [i, src] of (v.projected.sources ?? []).entries()) {
      const f = `${field}.projected.sources[${i}]`;
      const n = [src.secret, src.configMap, src.downwardAPI, src.serviceAccountToken, src.clusterTrustBundle].filter((s) => s).length;
      if (n > 1) errs.push(forbiddenError(f, 'may not specify more than 1 volume type per source'));
      if (src.serviceAccountToken) {
        errs.push(...validateLocalPath(src.serviceAccountToken.path, `${f}.serviceAccountToken.path`));
        const exp = src.serviceAccountToken.expirationSeconds;
        if (exp !== undefined && exp < 600) errs.push(invalidError(`${f}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
      }
      if (src.configMap) errs.push(...validateKeyToPaths(src.configMap.items, `${f}.configMap.items`));
      if (src.secret) errs.push(...validateKeyToPaths(src.secret.items, `${f}.secret.items`));
    }
  }
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(requiredError(`${field}.persistentVolumeClaim.claimName`));
  if (v.nfs) {
    if (!v.nfs.server) errs.push(requiredError(`${field}.nfs.server`));
    if (!v.nfs.path) errs.push(requiredError(`${field}.nfs.path`));
    else if (!v.nfs.path.startsWith('/')) errs.push(invalidError(`${field}.nfs.path`, v.nfs.path, 'must be an absolute path'));
  }
  if (v.csi && !v.csi.driver) errs.push(requiredError(`${field}.csi.driver`));
  if (v.ephemeral && !v.ephemeral.volumeClaimTemplate) errs.push(requiredError(`${field}.ephemeral.volumeClaimTemplate`));
  if (v.image) errs.push(...validateEnum(v.image.pullPolicy, `${field}.image.pullPolicy`, ['Always', 'IfNotPresent', 'Never']));
  return errs;
}

export function validateVolumes(volumes: Volume[] | undefined, field: string): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, v] of (volumes ?? []).entries()) {
    const f = `${field}[${i}]`;
    if (!v.name) errors.push(requiredError(`${f}.name`));
    else errors.push(...isDns1123Label(v.name).map((e) => invalidError(`${f}.name`, v.name, e)));
    if (v.name && names.has(v.name)) errors.push(duplicateError(`${f}.name`, v.name));
    names.add(v.name);
    const sources = volumeSources(v);
    if (sources.length === 0) errors.push(requiredError(f, 'must specify a volume type'));
    else if (sources.length > 1) errors.push(forbiddenError(`${f}.${sources[1] ?? ''}`, 'may not specify more than 1 volume type'));
    errors.push(...validateVolumeSource(v, f));
  }
  return { errors, names };
}

/** ValidatePodSpec. `field` is the spec's path (`spec` or `spec.template.spec`). */
export function validatePodSpec(spec: PodSpec, field: string): FieldError[] {
  const { errors: errs, names: volumes } = validateVolumes(spec.volumes, `${field}.volumes`);
  if ((spec.containers ?? []).length === 0) errs.push(requiredError(`${field}.containers`));
  const taken = new Set<string>();
  errs.push(...validateContainerList(spec.containers, `${field}.containers`, { volumes, kind: 'containers' }, taken));
  errs.push(...validateContainerList(spec.initContainers, `${field}.initContainers`, { volumes, kind: 'initContainers' }, taken));
  errs.push(...validateContainerList(spec.ephemeralContainers as Container[] | undefined, `${field}.ephemeralContainers`, { volumes, kind: 'ephemeralContainers' }, taken));
  errs.push(...validateEnum(spec.restartPolicy, `${field}.restartPolicy`, supportedRestartPolicies));
  errs.push(...validateEnum(spec.dnsPolicy, `${field}.dnsPolicy`, supportedDNSPolicies));
  if (spec.dnsPolicy === 'None' && (spec.dnsConfig?.nameservers ?? []).length === 0) {
    errs.push(requiredError(`${field}.dnsConfig.nameservers`, "must provide at least one DNS nameserver when `dnsPolicy` is 'None'"));
  }
  for (const [i, ns] of (spec.dnsConfig?.nameservers ?? []).entries()) {
    if (!isValidIP(ns)) errs.push(invalidError(`${field}.dnsConfig.nameservers[${i}]`, ns, 'must be a valid IP address'));
  }
  errs.push(...validateNonNegative(spec.terminationGracePeriodSeconds, `${field}.terminationGracePeriodSeconds`));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) {
    errs.push(invalidError(`${field}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  errs.push(...validateNodeSelectorMap(spec.nodeSelector, `${field}.nodeSelector`));
  errs.push(...validateOptionalName(spec.serviceAccountName, `${field}.serviceAccountName`, isDns1123Subdomain));
  errs.push(...validateOptionalName(spec.nodeName, `${field}.nodeName`, isDns1123Subdomain));
  errs.push(...validateOptionalName(spec.hostname, `${field}.hostname`, isDns1123Label));
  errs.push(...validateOptionalName(spec.subdomain, `${field}.subdomain`, isDns1123Label));
  errs.push(...validateOptionalName(spec.priorityClassName, `${field}.priorityClassName`, isDns1123Subdomain));
  errs.push(...validateOptionalName(spec.runtimeClassName, `${field}.runtimeClassName`, isDns1123Subdomain));
  errs.push(...validateOptionalName(spec.schedulerName, `${field}.schedulerName`, isDns1123Subdomain));
  errs.push(...validateAffinity(spec.affinity, `${field}.affinity`));
  errs.push(...validateTolerations(spec.tolerations, `${field}.tolerations`));
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${field}.topologySpreadConstraints`));
  errs.push(...validateEnum(spec.preemptionPolicy, `${field}.preemptionPolicy`, ['Never', 'PreemptLowerPriority']));
  if (spec.os) errs.push(...validateEnum(spec.os.name, `${field}.os.name`, ['linux', 'windows'], true));
  for (const [i, h] of (spec.hostAliases ?? []).entries()) {
    if (!isValidIP(h.ip)) errs.push(invalidError(`${field}.hostAliases[${i}].ip`, h.ip, 'must be valid IP address'));
  }
  if (spec.hostNetwork) {
    for (const [i, c] of spec.containers.entries()) {
      for (const [j, p] of (c.ports ?? []).entries()) {
        if (p.hostPort !== undefined && p.hostPort !== p.containerPort) {
          errs.push(invalidError(`${field}.containers[${i}].ports[${j}].containerPort`, p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
      }
    }
  }
  const gates = new Set<string>();
  for (const [i, g] of (spec.schedulingGates ?? []).entries()) {
    if (gates.has(g.name)) errs.push(duplicateError(`${field}.schedulingGates[${i}]`, g.name));
    gates.add(g.name);
  }
  if (spec.resources) errs.push(...validateResources(spec.resources, `${field}.resources`));
  return errs;
}

/** ValidatePodTemplateSpec (labels, annotations and spec of a workload's template). */
export function validatePodTemplateSpec(t: PodTemplateSpec | undefined, field: string, opts: { restartAlwaysOnly?: boolean } = {}): FieldError[] {
  if (!t) return [requiredError(field)];
  const errs = validateLabels(t.metadata?.labels, `${field}.metadata.labels`);
  errs.push(...validateAnnotations(t.metadata?.annotations, `${field}.metadata.annotations`));
  if (!t.spec) {
    errs.push(requiredError(`${field}.spec.containers`));
    return errs;
  }
  errs.push(...validatePodSpec(t.spec, `${field}.spec`));
  if (opts.restartAlwaysOnly && t.spec.restartPolicy !== undefined && t.spec.restartPolicy !== 'Always') {
    errs.push(notSupportedError(`${field}.spec.restartPolicy`, t.spec.restartPolicy, ['Always']));
  }
  if (opts.restartAlwaysOnly && t.spec.activeDeadlineSeconds !== undefined) {
    errs.push(forbiddenError(`${field}.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** Fields of a pod spec that may change on update; everything else is frozen once created. */
function mutablePodSpecView(spec: PodSpec | undefined, old: PodSpec | undefined): PodSpec | undefined {
  if (!spec) return spec;
  const copy = structuredClone(spec);
  const imagesFrom = (list: Container[] | undefined, src: Container[] | undefined): void => {
    for (const [i, c] of (list ?? []).entries()) {
      const o = src?.[i];
      if (o) c.image = o.image;
    }
  };
  imagesFrom(copy.containers, old?.containers);
  imagesFrom(copy.initContainers, old?.initContainers);
  // activeDeadlineSeconds may be set, or lowered; never raised or removed.
  const ads = copy.activeDeadlineSeconds;
  const oldAds = old?.activeDeadlineSeconds;
  if (ads !== undefined && (oldAds === undefined || ads <= oldAds)) copy.activeDeadlineSeconds = oldAds;
  // terminationGracePeriodSeconds may only go from a negative value to 1.
  const oldTgps = old?.terminationGracePeriodSeconds;
  if (oldTgps !== undefined && oldTgps < 0 && copy.terminationGracePeriodSeconds === 1) copy.terminationGracePeriodSeconds = oldTgps;
  // Tolerations may only be added to; scheduling gates may only be removed.
  const oldTol = old?.tolerations ?? [];
  if (oldTol.every((t) => (copy.tolerations ?? []).some((n) => deepEqual(n, t)))) copy.tolerations = old?.tolerations;
  const gates = copy.schedulingGates ?? [];
  if (gates.every((g) => (old?.schedulingGates ?? []).some((o) => o.name === g.name))) copy.schedulingGates = old?.schedulingGates;
  return copy;
}

export function validatePod(pod: Pod, old?: Pod): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, { namespaced: true });
  if (!pod.spec) errs.push(requiredError('spec.containers'));
  else errs.push(...validatePodSpec(pod.spec, 'spec'));
  if (old) {
    errs.push(...validateObjectMetaUpdate(pod.metadata, old.metadata));
    if (!deepEqual(mutablePodSpecView(pod.spec, old.spec), old.spec)) {
      errs.push(forbiddenError('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'));
    }
  }
  return errs;
}
