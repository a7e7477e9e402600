// Defaulting and validation for Service and Endpoints.
import type { FieldError } from '../../resource.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import {
  duplicateError, forbiddenError, invalidError, isDns1035Label, isDns1123Label, isDns1123Subdomain,
  isQualifiedName, isValidCIDR, isValidIP, isValidPortNum, notSupportedError, requiredError, validateEnum,
  validateLabels, validateOptionalName,
} from '../../validation.js';
import { supportedPortProtocols, validatePortNumOrName } from './container-validation.js';
import type { EndpointPort, Endpoints } from './endpoints.js';
import type { Service, ServicePort } from './service.js';

export const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;

function familyOf(ip: string): 'IPv4' | 'IPv6' {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

function needsNodePort(type: string | undefined): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}

/** SetDefaults_Service, plus keeping allocated values (clusterIP, nodePorts) from `old` on update. */
export function setServiceDefaults(svc: Service, old?: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = (spec.sessionAffinityConfig ??= {});
    const clientIP = (cfg.clientIP ??= {});
    clientIP.timeoutSeconds ??= 10800;
  }
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (needsNodePort(spec.type)) spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (old?.spec) patchAllocatedValues(svc, old);
  // clusterIP and clusterIPs[0] describe the same address.
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
  if (spec.type !== 'ExternalName') {
    const ips = (spec.clusterIPs ?? []).filter((ip) => ip !== 'None' && ip !== '');
    spec.ipFamilies ??= ips.length > 0 ? ips.map(familyOf) : ['IPv4'];
    spec.ipFamilyPolicy ??= spec.ipFamilies.length > 1 ? 'RequireDualStack' : 'SingleStack';
  }
}

/** A PUT without clusterIP / nodePort keeps the values allocated earlier, as the Kubernetes REST layer does. */
function patchAllocatedValues(svc: Service, old: Service): void {
  const spec = svc.spec ?? {};
  const o = old.spec ?? {};
  if (spec.type !== 'ExternalName' && o.type !== 'ExternalName') {
    if (!spec.clusterIP && !spec.clusterIPs?.length && o.clusterIP) {
      spec.clusterIP = o.clusterIP;
      if (o.clusterIPs) spec.clusterIPs = [...o.clusterIPs];
    }
    if (!spec.ipFamilies && o.ipFamilies) spec.ipFamilies = [...o.ipFamilies];
    if (!spec.ipFamilyPolicy && o.ipFamilyPolicy) spec.ipFamilyPolicy = o.ipFamilyPolicy;
  }
  if (needsNodePort(spec.type) && needsNodePort(o.type)) {
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const prev = (o.ports ?? []).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (prev?.nodePort) p.nodePort = prev.nodePort;
    }
  }
  if (spec.externalTrafficPolicy === 'Local' && o.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort && o.healthCheckNodePort) {
    spec.healthCheckNodePort = o.healthCheckNodePort;
  }
  dropTypeDependentFields(svc, old);
}

/** On a type change, fields the new type may not carry are dropped when they were only kept from the old object. */
function dropTypeDependentFields(svc: Service, old: Service): void {
  const spec = svc.spec ?? {};
  const o = old.spec ?? {};
  if (spec.type === 'ExternalName' && o.type !== 'ExternalName') {
    if (spec.clusterIP === o.clusterIP) delete spec.clusterIP;
    if (JSON.stringify(spec.clusterIPs) === JSON.stringify(o.clusterIPs)) delete spec.clusterIPs;
    if (JSON.stringify(spec.ipFamilies) === JSON.stringify(o.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === o.ipFamilyPolicy) delete spec.ipFamilyPolicy;
    if (spec.internalTrafficPolicy === o.internalTrafficPolicy) delete spec.internalTrafficPolicy;
  }
  if (!needsNodePort(spec.type) && needsNodePort(o.type)) {
    for (const p of spec.ports ?? []) {
      const prev = (o.ports ?? []).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (p.nodePort !== undefined && prev?.nodePort === p.nodePort) delete p.nodePort;
    }
    if (spec.externalTrafficPolicy === o.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  }
  if (spec.type !== 'LoadBalancer' && o.type === 'LoadBalancer') {
    if (spec.healthCheckNodePort === o.healthCheckNodePort) delete spec.healthCheckNodePort;
    if (spec.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === o.loadBalancerClass) delete spec.loadBalancerClass;
  }
}

/** What Service and Endpoints ports share: names required when several, unique DNS labels; number; protocol. */
function validateNamedPort(p: { name?: string; port: number; protocol?: string }, f: string, count: number, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (count > 1 && !p.name) errs.push(requiredError(`${f}.name`));
  if (p.name) {
    errs.push(...isDns1123Label(p.name).map((e) => invalidError(`${f}.name`, p.name, e)));
    if (names.has(p.name)) errs.push(duplicateError(`${f}.name`, p.name));
    names.add(p.name);
  }
  errs.push(...isValidPortNum(p.port).map((e) => invalidError(`${f}.port`, p.port, e)));
  errs.push(...validateEnum(p.protocol, `${f}.protocol`, supportedPortProtocols));
  return errs;
}

function validateServicePorts(ports: ServicePort[], type: string | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const keys = new Set<string>();
  for (const [i, p] of ports.entries()) {
    const f = `${field}[${i}]`;
    errs.push(...validateNamedPort(p, f, ports.length, names));
    if (p.targetPort !== undefined) errs.push(...validatePortNumOrName(p.targetPort, `${f}.targetPort`));
    if (p.appProtocol) errs.push(...isQualifiedName(p.appProtocol).map((e) => invalidError(`${f}.appProtocol`, p.appProtocol, e)));
    if (p.nodePort) {
      if (!needsNodePort(type)) errs.push(forbiddenError(`${f}.nodePort`, `may not be used when \`type\` is '${type ?? 'ClusterIP'}'`));
      else errs.push(...isValidPortNum(p.nodePort).map((e) => invalidError(`${f}.nodePort`, p.nodePort, e)));
    }
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (keys.has(key)) errs.push(duplicateError(f, { port: p.port, protocol: p.protocol ?? 'TCP' }));
    keys.add(key);
  }
  return errs;
}

export function validateService(svc: Service, old?: Service): FieldError[] {
  const errs = validateObjectMeta(svc.metadata, { namespaced: true, nameCheck: isDns1035Label });
  const spec = svc.spec ?? {};
  const type = spec.type;
  errs.push(...validateEnum(type, 'spec.type', serviceTypes));
  const headless = spec.clusterIP === 'None';
  const ports = spec.ports ?? [];
  if (type === 'ExternalName') {
    if (!spec.externalName) errs.push(requiredError('spec.externalName'));
    else errs.push(...isDns1123Subdomain(spec.externalName.replace(/\.$/, '')).map((e) => invalidError('spec.externalName', spec.externalName, e)));
    if (spec.clusterIP && spec.clusterIP !== 'None') errs.push(forbiddenError('spec.clusterIP', 'may not be set for ExternalName services'));
  } else if (ports.length === 0 && !headless) {
    errs.push(requiredError('spec.ports'));
  }
  errs.push(...validateServicePorts(ports, type, 'spec.ports'));
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (spec.clusterIP && spec.clusterIP !== 'None' && !isValidIP(spec.clusterIP)) {
    errs.push(invalidError('spec.clusterIP', spec.clusterIP, 'must be empty, \'None\', or a valid IP address'));
  }
  for (const [i, ip] of (spec.clusterIPs ?? []).entries()) {
    if (ip !== 'None' && !isValidIP(ip)) errs.push(invalidError(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address'));
  }
  if (spec.clusterIP && spec.clusterIPs?.length && spec.clusterIPs[0] !== spec.clusterIP) {
    errs.push(invalidError('spec.clusterIPs', spec.clusterIPs, 'first value must match `clusterIP`'));
  }
  for (const [i, ip] of (spec.externalIPs ?? []).entries()) {
    if (!isValidIP(ip)) errs.push(invalidError(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address'));
  }
  errs.push(...validateEnum(spec.sessionAffinity, 'spec.sessionAffinity', ['ClientIP', 'None']));
  if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(forbiddenError('spec.sessionAffinityConfig', 'must not be set when `sessionAffinity` is None'));
  }
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (timeout !== undefined && (timeout <= 0 || timeout > 86400)) {
    errs.push(invalidError('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
  }
  errs.push(...validateEnum(spec.externalTrafficPolicy, 'spec.externalTrafficPolicy', ['Cluster', 'Local']));
  if (spec.externalTrafficPolicy && !needsNodePort(type)) {
    errs.push(invalidError('spec.externalTrafficPolicy', spec.externalTrafficPolicy, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
  }
  errs.push(...validateEnum(spec.internalTrafficPolicy, 'spec.internalTrafficPolicy', ['Cluster', 'Local']));
  errs.push(...validateEnum(spec.ipFamilyPolicy, 'spec.ipFamilyPolicy', ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  const families = new Set<string>();
  for (const [i, fam] of (spec.ipFamilies ?? []).entries()) {
    if (fam !== 'IPv4' && fam !== 'IPv6') errs.push(notSupportedError(`spec.ipFamilies[${i}]`, fam, ['IPv4', 'IPv6']));
    else if (families.has(fam)) errs.push(duplicateError(`spec.ipFamilies[${i}]`, fam));
    families.add(fam);
  }
  if (spec.healthCheckNodePort && !(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local')) {
    errs.push(invalidError('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  if (spec.loadBalancerSourceRanges?.length && type !== 'LoadBalancer') {
    errs.push(forbiddenError('spec.loadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
  }
  for (const [i, r] of (spec.loadBalancerSourceRanges ?? []).entries()) {
    if (!isValidCIDR(r.trim())) errs.push(invalidError(`spec.loadBalancerSourceRanges[${i}]`, r, 'must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 '));
  }
  if (spec.loadBalancerClass !== undefined && type !== 'LoadBalancer') {
    errs.push(forbiddenError('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && type !== 'LoadBalancer') {
    errs.push(forbiddenError('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  errs.push(...validateEnum(spec.trafficDistribution, 'spec.trafficDistribution', ['PreferClose']));
  if (old) {
    errs.push(...validateObjectMetaUpdate(svc.metadata, old.metadata));
    const o = old.spec ?? {};
    const changingExternalName = type === 'ExternalName' || o.type === 'ExternalName';
    if (!changingExternalName && o.clusterIP && spec.clusterIP !== o.clusterIP) {
      errs.push(invalidError('spec.clusterIPs[0]', spec.clusterIP ?? '', 'may not change once set'));
    }
  }
  return errs;
}

export function setEndpointsDefaults(ep: Endpoints): void {
  for (const s of ep.subsets ?? []) for (const p of s.ports ?? []) p.protocol ??= 'TCP';
}

function validateEndpointPorts(ports: EndpointPort[], field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, p] of ports.entries()) {
    const f = `${field}[${i}]`;
    errs.push(...validateNamedPort(p, f, ports.length, names));
  }
  return errs;
}

export function validateEndpoints(ep: Endpoints, old?: Endpoints): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, { namespaced: true });
  for (const [i, s] of (ep.subsets ?? []).entries()) {
    const f = `subsets[${i}]`;
    if (!s.addresses?.length && !s.notReadyAddresses?.length) {
      errs.push(requiredError(f, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const key of ['addresses', 'notReadyAddresses'] as const) {
      for (const [j, a] of (s[key] ?? []).entries()) {
        const af = `${f}.${key}[${j}]`;
        if (!isValidIP(a.ip)) errs.push(invalidError(`${af}.ip`, a.ip, 'must be a valid IP address'));
        errs.push(...validateOptionalName(a.hostname, `${af}.hostname`, isDns1123Label));
        errs.push(...validateOptionalName(a.nodeName, `${af}.nodeName`, isDns1123Subdomain));
      }
    }
    errs.push(...validateEndpointPorts(s.ports ?? [], `${f}.ports`));
  }
  if (old) errs.push(...validateObjectMetaUpdate(ep.metadata, old.metadata));
  return errs;
}
