// ClusterIPs from the service CIDR and NodePorts from 30000-32767. Each allocation is its own
// etcd key, claimed in the same transaction that writes the Service, so two concurrent creates
// can never get one address and a rejected write leaves nothing behind.
import { randomInt } from 'node:crypto';
import type { FieldError, KubeObject } from '../../api/resource.js';
import { ApiError, invalid } from '../errors.js';

interface Port {
  name?: string;
  port: number;
  nodePort?: number;
  protocol?: string;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: Port[];
}

export interface Claims {
  claim: string[];
  release: string[];
}

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class ServiceAllocator {
  private readonly base: number;
  private readonly size: number;

  constructor(
    private readonly prefix: string,
    readonly serviceCidr = '10.96.0.0/12',
    readonly nodePortRange: [number, number] = [30000, 32767],
  ) {
    const [addr, bits] = serviceCidr.split('/');
    const base = ipToInt(addr ?? '');
    if (base === undefined || !bits) throw new Error(`invalid service CIDR ${serviceCidr}`);
    this.size = 2 ** (32 - Number(bits));
    this.base = base;
  }

  /** The first usable address: the `kubernetes` Service's. */
  get firstIp(): string {
    return intToIp(this.base + 1);
  }

  ipKey(ip: string): string {
    return `${this.prefix}/ranges/serviceips/${ip}`;
  }

  portKey(port: number, protocol = 'TCP'): string {
    return `${this.prefix}/ranges/servicenodeports/${protocol.toLowerCase()}/${port}`;
  }

  private inRange(ip: string): boolean {
    const n = ipToInt(ip);
    // Network and broadcast addresses are never handed out.
    return n !== undefined && n > this.base && n < this.base + this.size - 1;
  }

  private randomIp(): string {
    // Skip .1, reserved for the kubernetes Service.
    return intToIp(this.base + 2 + randomInt(this.size - 3));
  }

  private randomPort(): number {
    const [lo, hi] = this.nodePortRange;
    return lo + randomInt(hi - lo + 1);
  }

  /** Every allocation key a stored Service holds. */
  held(svc: KubeObject): string[] {
    const spec = (svc.spec ?? {}) as ServiceSpec;
    const keys: string[] = [];
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (ipToInt(ip) !== undefined) keys.push(this.ipKey(ip));
    for (const p of spec.ports ?? []) if (p.nodePort) keys.push(this.portKey(p.nodePort, p.protocol));
    return keys;
  }

  /**
   * Fill in what the Service needs (a ClusterIP, NodePorts for NodePort/LoadBalancer) and return
   * the keys to claim and release relative to `old`. `retry` re-picks automatically chosen values.
   * Throws 422 for requested values out of range.
   */
  assign(svc: KubeObject, old: KubeObject | undefined): Claims {
    const spec = (svc.spec ?? {}) as ServiceSpec;
    const name = svc.metadata.name ?? '';
    const errors: FieldError[] = [];
    const type = spec.type ?? 'ClusterIP';
    if (type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    } else if (spec.clusterIP !== 'None') {
      if (!spec.clusterIP) spec.clusterIP = this.randomIp();
      else if (!this.inRange(spec.clusterIP) && (!old || this.held(old).indexOf(this.ipKey(spec.clusterIP)) < 0)) {
        errors.push({
          field: 'spec.clusterIPs',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ["${spec.clusterIP}"]: failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${this.serviceCidr}`,
        });
      }
      spec.clusterIPs = [spec.clusterIP];
    } else {
      spec.clusterIPs = ['None'];
    }
    const wantsNodePorts = type === 'NodePort' || type === 'LoadBalancer';
    const [lo, hi] = this.nodePortRange;
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (!wantsNodePorts) {
        delete p.nodePort;
        continue;
      }
      if (p.nodePort === undefined || p.nodePort === 0) p.nodePort = this.randomPort();
      else if (p.nodePort < lo || p.nodePort > hi) {
        errors.push({
          field: `spec.ports[${i}].nodePort`,
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`,
        });
      }
    }
    if (errors.length > 0) throw invalid({ group: '', kind: 'Service' }, name, errors);
    svc.spec = spec;
    const now = new Set(this.held(svc));
    const before = new Set(old ? this.held(old) : []);
    return { claim: [...now].filter((k) => !before.has(k)), release: [...before].filter((k) => !now.has(k)) };
  }

  /** Message for a claim that another Service holds: requested values are the user's to change. */
  takenError(svc: KubeObject, key: string): ApiError {
    const name = svc.metadata.name ?? '';
    const spec = (svc.spec ?? {}) as ServiceSpec;
    if (key.includes('/serviceips/')) {
      const ip = key.slice(key.lastIndexOf('/') + 1);
      return invalid({ group: '', kind: 'Service' }, name, [
        { field: 'spec.clusterIPs', reason: 'FieldValueInvalid', message: `Invalid value: ["${ip}"]: failed to allocate IP ${ip}: provided IP is already allocated` },
      ]);
    }
    const port = Number(key.slice(key.lastIndexOf('/') + 1));
    const i = (spec.ports ?? []).findIndex((p) => p.nodePort === port);
    return invalid({ group: '', kind: 'Service' }, name, [
      { field: `spec.ports[${Math.max(i, 0)}].nodePort`, reason: 'FieldValueInvalid', message: `Invalid value: ${port}: provided port is already allocated` },
    ]);
  }
}
