// Validation of containers and their parts (pkg/apis/core/validation: validateContainers & co).
import type { FieldError } from '../../resource.js';
import {
  duplicateError, forbiddenError, invalidError, isConfigMapKey, isDns1123Label, isQualifiedName, isValidPortName,
  isValidPortNum, notFoundError, notSupportedError, parseQuantity, quantityFormatMessage, requiredError,
  validateEnum, validateNonNegative, validateOptionalName,
} from '../../validation.js';
import type { Container, ContainerPort, EnvFromSource, EnvVar, ResourceRequirements, VolumeMount } from './container.js';
import type { LifecycleHandler, Probe, HTTPGetAction } from './probe.js';

export const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'] as const;
export const supportedPullPolicies = ['Always', 'IfNotPresent', 'Never'] as const;
export const supportedTerminationMessagePolicies = ['FallbackToLogsOnError', 'File'] as const;

export interface ContainerContext {
  /** Volume names declared in the pod spec. */
  volumes: Set<string>;
  /** 'containers' | 'initContainers' | 'ephemeralContainers'. */
  kind: 'containers' | 'initContainers' | 'ephemeralContainers';
}

/** A port given as number or IANA name (probes, targetPort). */
export function validatePortNumOrName(port: string | number, field: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((e) => invalidError(field, port, e));
  if (port === '') return [requiredError(field)];
  if (/^[0-9]+$/.test(port)) return [invalidError(field, port, 'must contain at least one letter or number (a-z, 0-9)')];
  return isValidPortName(port).map((e) => invalidError(field, port, e));
}

function validatePorts(ports: ContainerPort[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, p] of (ports ?? []).entries()) {
    const f = `${field}[${i}]`;
    if (p.name) {
      errs.push(...isValidPortName(p.name).map((e) => invalidError(`${f}.name`, p.name, e)));
      if (names.has(p.name)) errs.push(duplicateError(`${f}.name`, p.name));
      names.add(p.name);
    }
    if (p.containerPort === 0) errs.push(requiredError(`${f}.containerPort`));
    else errs.push(...isValidPortNum(p.containerPort).map((e) => invalidError(`${f}.containerPort`, p.containerPort, e)));
    if (p.hostPort !== undefined && p.hostPort !== 0) {
      errs.push(...isValidPortNum(p.hostPort).map((e) => invalidError(`${f}.hostPort`, p.hostPort, e)));
    }
    errs.push(...validateEnum(p.protocol, `${f}.protocol`, supportedPortProtocols));
  }
  return errs;
}

function validateEnv(env: EnvVar[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, e] of (env ?? []).entries()) {
    const f = `${field}[${i}]`;
    if (!e.name) errs.push(requiredError(`${f}.name`));
    else if (/[=]/.test(e.name) || !/^[\x20-\x7e]+$/.test(e.name)) {
      errs.push(invalidError(`${f}.name`, e.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
    }
    const from = e.valueFrom;
    if (!from) continue;
    const sources = [from.fieldRef, from.resourceFieldRef, from.configMapKeyRef, from.secretKeyRef].filter((s) => s !== undefined);
    if (sources.length === 0) errs.push(invalidError(`${f}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (sources.length > 1) errs.push(invalidError(`${f}.valueFrom`, '', 'may not have more than one field specified at a time'));
    if (e.value) errs.push(invalidError(`${f}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    if (from.fieldRef && !from.fieldRef.fieldPath) errs.push(requiredError(`${f}.valueFrom.fieldRef.fieldPath`));
    if (from.resourceFieldRef && !from.resourceFieldRef.resource) errs.push(requiredError(`${f}.valueFrom.resourceFieldRef.resource`));
    for (const [key, ref] of [['configMapKeyRef', from.configMapKeyRef], ['secretKeyRef', from.secretKeyRef]] as const) {
      if (!ref) continue;
      if (!ref.name) errs.push(requiredError(`${f}.valueFrom.${key}.name`));
      if (!ref.key) errs.push(requiredError(`${f}.valueFrom.${key}.key`));
      else errs.push(...isConfigMapKey(ref.key).map((m) => invalidError(`${f}.valueFrom.${key}.key`, ref.key, m)));
    }
  }
  return errs;
}

function validateEnvFrom(envFrom: EnvFromSource[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, e] of (envFrom ?? []).entries()) {
    const f = `${field}[${i}]`;
    const n = (e.configMapRef ? 1 : 0) + (e.secretRef ? 1 : 0);
    if (n === 0) errs.push(invalidError(f, '', 'must specify one of: `configMapRef` or `secretRef`'));
    if (n > 1) errs.push(invalidError(f, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

function validateMounts(mounts: VolumeMount[] | undefined, field: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  for (const [i, m] of (mounts ?? []).entries()) {
    const f = `${field}[${i}]`;
    if (!m.name) errs.push(requiredError(`${f}.name`));
    else if (!volumes.has(m.name)) errs.push(notFoundError(`${f}.name`, m.name));
    if (!m.mountPath) errs.push(requiredError(`${f}.mountPath`));
    else if (paths.has(m.mountPath)) errs.push(invalidError(`${f}.mountPath`, m.mountPath, 'must be unique'));
    paths.add(m.mountPath);
    if (m.subPath && m.subPathExpr) errs.push(invalidError(`${f}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    errs.push(...validateEnum(m.mountPropagation, `${f}.mountPropagation`, ['Bidirectional', 'HostToContainer', 'None']));
  }
  return errs;
}

function validateHttpGet(h: HTTPGetAction, field: string): FieldError[] {
  return [
    ...validatePortNumOrName(h.port, `${field}.port`),
    ...validateEnum(h.scheme, `${field}.scheme`, ['HTTP', 'HTTPS']),
  ];
}

function validateHandler(h: LifecycleHandler | Probe, field: string, allowed: string[]): FieldError[] {
  const present = allowed.filter((k) => (h as Record<string, unknown>)[k] !== undefined);
  const errs: FieldError[] = [];
  if (present.length === 0) errs.push(requiredError(field, 'must specify a handler type'));
  if (present.length > 1) errs.push(forbiddenError(`${field}.${present[1] ?? ''}`, 'may not specify more than 1 handler type'));
  if (h.httpGet) errs.push(...validateHttpGet(h.httpGet, `${field}.httpGet`));
  if (h.tcpSocket) errs.push(...validatePortNumOrName(h.tcpSocket.port, `${field}.tcpSocket.port`));
  if ('grpc' in h && h.grpc) errs.push(...isValidPortNum(h.grpc.port).map((e) => invalidError(`${field}.grpc.port`, h.grpc?.port, e)));
  if ('exec' in h && h.exec && (h.exec.command ?? []).length === 0) errs.push(requiredError(`${field}.exec.command`));
  return errs;
}

function validateProbe(p: Probe | undefined, field: string, needsSuccessOne: boolean): FieldError[] {
  if (!p) return [];
  const errs = validateHandler(p, field, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  errs.push(...validateNonNegative(p.initialDelaySeconds, `${field}.initialDelaySeconds`));
  errs.push(...validateNonNegative(p.timeoutSeconds, `${field}.timeoutSeconds`));
  errs.push(...validateNonNegative(p.periodSeconds, `${field}.periodSeconds`));
  errs.push(...validateNonNegative(p.successThreshold, `${field}.successThreshold`));
  errs.push(...validateNonNegative(p.failureThreshold, `${field}.failureThreshold`));
  if (needsSuccessOne && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(invalidError(`${field}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  if (p.terminationGracePeriodSeconds !== undefined && p.terminationGracePeriodSeconds <= 0) {
    errs.push(invalidError(`${field}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

const standardResources = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage']);

/** ResourceRequirements: valid names and quantities; requests not above limits. */
export function validateResources(r: ResourceRequirements | undefined, field: string): FieldError[] {
  if (!r) return [];
  const errs: FieldError[] = [];
  const parsed: Record<'limits' | 'requests', Map<string, number>> = { limits: new Map(), requests: new Map() };
  for (const which of ['limits', 'requests'] as const) {
    for (const [name, q] of Object.entries(r[which] ?? {})) {
      const f = `${field}.${which}[${name}]`;
      if (!standardResources.has(name) && !name.startsWith('hugepages-')) {
        errs.push(...isQualifiedName(name).map((e) => invalidError(f, name, e)));
      }
      const v = parseQuantity(q);
      if (v === undefined) { errs.push(invalidError(f, q, quantityFormatMessage)); continue; }
      if (v < 0) errs.push(invalidError(f, q, 'must be greater than or equal to 0'));
      parsed[which].set(name, v);
    }
  }
  for (const [name, req] of parsed.requests) {
    const lim = parsed.limits.get(name);
    if (lim !== undefined && req > lim) {
      errs.push(invalidError(`${field}.requests[${name}]`, r.requests?.[name], `must be less than or equal to ${name} limit of ${String(r.limits?.[name])}`));
    }
  }
  const claimNames = new Set<string>();
  for (const [i, c] of (r.claims ?? []).entries()) {
    if (claimNames.has(c.name)) errs.push(duplicateError(`${field}.claims[${i}]`, c.name));
    claimNames.add(c.name);
  }
  return errs;
}

/** One container of any of the three lists. */
export function validateContainer(c: Container, field: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(requiredError(`${field}.name`));
  else errs.push(...isDns1123Label(c.name).map((e) => invalidError(`${field}.name`, c.name, e)));
  if (!c.image || c.image.trim() === '') errs.push(requiredError(`${field}.image`));
  else if (c.image !== c.image.trim()) errs.push(invalidError(`${field}.image`, c.image, 'must not have leading or trailing whitespace'));
  errs.push(...validatePorts(c.ports, `${field}.ports`));
  errs.push(...validateEnv(c.env, `${field}.env`));
  errs.push(...validateEnvFrom(c.envFrom, `${field}.envFrom`));
  errs.push(...validateMounts(c.volumeMounts, `${field}.volumeMounts`, ctx.volumes));
  for (const [i, d] of (c.volumeDevices ?? []).entries()) {
    if (!ctx.volumes.has(d.name)) errs.push(notFoundError(`${field}.volumeDevices[${i}].name`, d.name));
  }
  errs.push(...validateResources(c.resources, `${field}.resources`));
  errs.push(...validateEnum(c.imagePullPolicy, `${field}.imagePullPolicy`, supportedPullPolicies));
  errs.push(...validateEnum(c.terminationMessagePolicy, `${field}.terminationMessagePolicy`, supportedTerminationMessagePolicies));
  const sidecar = ctx.kind === 'initContainers' && c.restartPolicy === 'Always';
  if (c.restartPolicy !== undefined) {
    if (ctx.kind !== 'initContainers') errs.push(forbiddenError(`${field}.restartPolicy`, 'may not be set for non-init containers'));
    else if (c.restartPolicy !== 'Always') errs.push(notSupportedError(`${field}.restartPolicy`, c.restartPolicy, ['Always']));
  }
  if (ctx.kind === 'containers' || sidecar) {
    errs.push(...validateProbe(c.livenessProbe, `${field}.livenessProbe`, true));
    errs.push(...validateProbe(c.readinessProbe, `${field}.readinessProbe`, false));
    errs.push(...validateProbe(c.startupProbe, `${field}.startupProbe`, true));
  } else {
    for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[p]) errs.push(forbiddenError(`${field}.${p}`, `may not be set for ${ctx.kind === 'initContainers' ? 'init' : 'ephemeral'} containers`));
    }
  }
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = c.lifecycle?.[hook];
    if (h) errs.push(...validateHandler(h, `${field}.lifecycle.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  }
  errs.push(...validateOptionalName(c.securityContext?.procMount, `${field}.securityContext.procMount`, (v) => (['Default', 'Unmasked'].includes(v) ? [] : ['must be Default or Unmasked'])));
  return errs;
}

/** A list of containers: names unique across `taken` (all lists of the pod). */
export function validateContainerList(list: Container[] | undefined, field: string, ctx: ContainerContext, taken: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, c] of (list ?? []).entries()) {
    const f = `${field}[${i}]`;
    errs.push(...validateContainer(c, f, ctx));
    if (c.name) {
      if (taken.has(c.name)) errs.push(duplicateError(`${f}.name`, c.name));
      taken.add(c.name);
    }
  }
  return errs;
}
