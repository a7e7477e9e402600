// Carving a cluster CIDR (10.244.0.0/16) into per-node subnets (/24), with a set of the
// subnets in use so that no two nodes ever share one.

export interface Cidr {
  base: number;
  bits: number;
}

export function parseCidr(s: string): Cidr {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(s.trim());
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const bits = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || bits > 32) throw new Error(`not an IPv4 CIDR: "${s}"`);
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ip & mask) >>> 0, bits };
}

export function formatCidr(c: Cidr): string {
  return `${[24, 16, 8, 0].map((s) => (c.base >>> s) & 255).join('.')}/${c.bits}`;
}

export class CidrSet {
  private readonly used = new Set<number>();
  private readonly size: number;
  private next = 0;

  constructor(
    readonly cluster: Cidr,
    readonly maskSize: number,
  ) {
    if (maskSize < cluster.bits || maskSize > 32) throw new Error(`node mask /${maskSize} does not fit in cluster CIDR ${formatCidr(cluster)}`);
    this.size = 2 ** (maskSize - cluster.bits);
  }

  get free(): number {
    return this.size - this.used.size;
  }

  private subnet(i: number): string {
    return formatCidr({ base: (this.cluster.base + i * 2 ** (32 - this.maskSize)) >>> 0, bits: this.maskSize });
  }

  /** The index of `cidr` in this set, or undefined if it is not one of our subnets. */
  private indexOf(cidr: string): number | undefined {
    let c: Cidr;
    try {
      c = parseCidr(cidr);
    } catch {
      return undefined;
    }
    if (c.bits !== this.maskSize) return undefined;
    const i = (c.base - this.cluster.base) / 2 ** (32 - this.maskSize);
    return Number.isInteger(i) && i >= 0 && i < this.size ? i : undefined;
  }

  /** Marks an already assigned subnet as used; false if it is not ours or already taken. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined || this.used.has(i)) return false;
    this.used.add(i);
    return true;
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i !== undefined) this.used.delete(i);
  }

  /** The next free subnet, round robin (a released one is not handed out again at once). */
  allocate(): string | undefined {
    for (let n = 0; n < this.size; n++) {
      const i = (this.next + n) % this.size;
      if (!this.used.has(i)) {
        this.used.add(i);
        this.next = (i + 1) % this.size;
        return this.subnet(i);
      }
    }
    return undefined;
  }
}
