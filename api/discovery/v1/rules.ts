// Defaulting and validation for EndpointSlice (discovery.k8s.io/v1).
import type { FieldError } from '../../resource.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import {
  duplicateError, invalidError, isDns1123Label, isDns1123Subdomain, isIPv4, isIPv6, isQualifiedName,
  isValidPortNum, requiredError, tooManyError, validateEnum, validateImmutable, validateLabels, validateOptionalName,
} from '../../validation.js';
import type { EndpointSlice } from './endpointslice.js';

export const addressTypes = ['FQDN', 'IPv4', 'IPv6'] as const;
const maxEndpoints = 1000;
const maxPorts = 20000;
const maxAddresses = 100;

export function setEndpointSliceDefaults(slice: EndpointSlice): void {
  for (const p of slice.ports ?? []) {
    p.name ??= '';
    p.protocol ??= 'TCP';
  }
}

function addressError(type: string, addr: string): string | undefined {
  if (type === 'IPv4') return isIPv4(addr) ? undefined : 'must be a valid IPv4 address';
  if (type === 'IPv6') return isIPv6(addr) ? undefined : 'must be a valid IPv6 address';
  if (type === 'FQDN') return isDns1123Subdomain(addr)[0];
  return undefined;
}

export function validateEndpointSlice(slice: EndpointSlice, old?: EndpointSlice): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, { namespaced: true });
  errs.push(...validateEnum(slice.addressType, 'addressType', addressTypes, true));
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > maxEndpoints) errs.push(tooManyError('endpoints', endpoints.length, maxEndpoints));
  for (const [i, ep] of endpoints.entries()) {
    const f = `endpoints[${i}]`;
    if (ep.addresses.length === 0) errs.push(requiredError(`${f}.addresses`, 'must contain at least 1 address'));
    if (ep.addresses.length > maxAddresses) errs.push(tooManyError(`${f}.addresses`, ep.addresses.length, maxAddresses));
    for (const [j, a] of ep.addresses.entries()) {
      const e = addressError(slice.addressType, a);
      if (e) errs.push(invalidError(`${f}.addresses[${j}]`, a, e));
    }
    errs.push(...validateOptionalName(ep.hostname, `${f}.hostname`, isDns1123Label));
    errs.push(...validateOptionalName(ep.nodeName, `${f}.nodeName`, isDns1123Subdomain));
    errs.push(...validateLabels(ep.deprecatedTopology, `${f}.deprecatedTopology`));
  }
  const ports = slice.ports ?? [];
  if (ports.length > maxPorts) errs.push(tooManyError('ports', ports.length, maxPorts));
  const names = new Set<string>();
  for (const [i, p] of ports.entries()) {
    const f = `ports[${i}]`;
    const name = p.name ?? '';
    if (name) errs.push(...isDns1123Label(name).map((e) => invalidError(`${f}.name`, name, e)));
    if (names.has(name)) errs.push(duplicateError(`${f}.name`, name));
    names.add(name);
    errs.push(...validateEnum(p.protocol, `${f}.protocol`, ['SCTP', 'TCP', 'UDP']));
    if (p.port !== undefined) errs.push(...isValidPortNum(p.port).map((e) => invalidError(`${f}.port`, p.port, e)));
    if (p.appProtocol) errs.push(...isQualifiedName(p.appProtocol).map((e) => invalidError(`${f}.appProtocol`, p.appProtocol, e)));
  }
  if (old) {
    errs.push(...validateObjectMetaUpdate(slice.metadata, old.metadata));
    errs.push(...validateImmutable('addressType', slice.addressType, old.addressType));
  }
  return errs;
}
