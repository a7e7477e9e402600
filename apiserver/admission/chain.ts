// Admission, as kube-apiserver runs it: named plugins in a fixed order, first every mutating
// step, then (after the kind's own validation) every validating step. Plugins may know kinds by
// name; the generic registry does not.
import type { KubeObject, ResourceType } from '../../api/resource.js';
import type { UserInfo } from '../auth/user.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: Operation;
  rt: ResourceType;
  namespace?: string;
  name: string;
  subresource?: string;
  /** The object being written (mutable during the mutating phase); absent on DELETE. */
  object?: KubeObject;
  /** The stored object on UPDATE and DELETE. */
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  name: string;
  mutate?(a: AdmissionRequest): void | Promise<void>;
  validate?(a: AdmissionRequest): void | Promise<void>;
}

/** What plugins may read of the cluster (the registry satisfies it). */
export interface ObjectReader {
  get(rt: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject>;
  list(rt: ResourceType, namespace: string | undefined, opts: { predicate: { everything: boolean; matches: (o: KubeObject) => boolean } }): Promise<{ items: KubeObject[] }>;
}

export class AdmissionChain {
  private mutators: AdmissionPlugin[] = [];
  private validators: AdmissionPlugin[] = [];

  constructor(plugins: AdmissionPlugin[] = []) {
    this.use(plugins);
  }

  /** Sets the plugins, in the order they run (some read through the registry this chain guards, so they come after it). */
  use(plugins: AdmissionPlugin[]): void {
    this.mutators = plugins.filter((p) => p.mutate);
    this.validators = plugins.filter((p) => p.validate);
  }

  get names(): string[] {
    return [...new Set([...this.mutators, ...this.validators].map((p) => p.name))];
  }

  async mutate(a: AdmissionRequest): Promise<void> {
    for (const p of this.mutators) await p.mutate!(a);
  }

  async validate(a: AdmissionRequest): Promise<void> {
    for (const p of this.validators) await p.validate!(a);
  }
}

/** No plugins: what a registry without a configured chain runs. */
export const noAdmission = new AdmissionChain([]);
