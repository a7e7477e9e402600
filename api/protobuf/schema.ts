// The wire schema (the .proto files beside this module, derived from upstream generated.proto)
// compiled once into per-message field tables that the codec walks. protobufjs only parses the
// files; encoding and decoding work straight on Kubernetes' JSON shapes (codec.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export type Scalar = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64';

/** Messages whose JSON form is not an object of their fields (see codec.ts). */
export type Special = 'Time' | 'MicroTime' | 'IntOrString' | 'Quantity' | 'FieldsV1' | 'RawExtension' | 'StringList';

export interface FieldSpec {
  name: string;
  number: number;
  repeated: boolean;
  /** The zero value means something in JSON (a Go pointer, or no omitempty): decoding keeps it. */
  keepZero: boolean;
  scalar?: Scalar;
  message?: MessageSpec;
  /** map<string, V>: V is `scalar` or `message`. */
  map: boolean;
  /** An embedded Go struct: its fields sit in the parent's JSON object (Volume's VolumeSource). */
  inline: boolean;
}

export interface MessageSpec {
  fullName: string;
  special?: Special;
  fields: FieldSpec[];
  byName: Map<string, FieldSpec>;
  byNumber: Map<number, FieldSpec>;
  inlines: FieldSpec[];
}

const specials: Record<string, Special> = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'Time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'MicroTime',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'IntOrString',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'Quantity',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'FieldsV1',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'RawExtension',
  // Go `type ExtraValue []string`: a message of `repeated string items = 1`, a plain list in JSON.
  'k8s.io.api.authorization.v1.ExtraValue': 'StringList',
  'k8s.io.api.authentication.v1.ExtraValue': 'StringList',
};

const scalars = new Set<string>(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64']);

/** Source folder, found from the compiled file (dist/api/protobuf/schema.js → api/protobuf). */
const schemaDir = fileURLToPath(new URL('../../../api/protobuf/', import.meta.url));

let messages: Map<string, MessageSpec> | undefined;

function load(): Map<string, MessageSpec> {
  const root = new protobuf.Root();
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.proto')).sort()) {
    protobuf.parse(readFileSync(schemaDir + file, 'utf8'), root, { keepCase: true });
  }
  root.resolveAll();
  const out = new Map<string, MessageSpec>();
  const spec = (type: protobuf.Type): MessageSpec => {
    const fullName = type.fullName.replace(/^\./, '');
    const known = out.get(fullName);
    if (known) return known;
    const m: MessageSpec = { fullName, fields: [], byName: new Map(), byNumber: new Map(), inlines: [] };
    const special = specials[fullName];
    if (special) m.special = special;
    out.set(fullName, m); // before the fields: messages may refer to themselves (JSONSchemaProps-like)
    for (const f of type.fieldsArray) {
      const field: FieldSpec = {
        name: f.name,
        number: f.id,
        repeated: f.repeated,
        keepZero: f.options?.proto3_optional === true,
        map: f.map,
        inline: f.options?.['(skiff.inline)'] === true,
      };
      if (scalars.has(f.type)) field.scalar = f.type as Scalar;
      else if (f.resolvedType instanceof protobuf.Type) field.message = spec(f.resolvedType);
      else throw new Error(`${fullName}.${f.name}: unsupported field type ${f.type}`);
      m.fields.push(field);
      if (field.inline) m.inlines.push(field);
      else m.byName.set(f.name, field);
      m.byNumber.set(f.id, field);
    }
    return m;
  };
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type) spec(child);
      if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) walk(child);
    }
  };
  walk(root);
  return out;
}

/** The message of a fully qualified name, e.g. `k8s.io.api.core.v1.Pod`; undefined if not in the schema. */
export function messageSpec(fullName: string): MessageSpec | undefined {
  messages ??= load();
  return messages.get(fullName);
}

// meta.k8s.io kinds travel with the apiVersion of the group they are used in (v1 Status).
const metaKinds = new Set(['Status', 'DeleteOptions', 'WatchEvent', 'ListOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions']);

// Groups whose upstream package is not the group name less `.k8s.io`.
const packageOfGroup: Record<string, string> = { 'rbac.authorization': 'rbac' };

/** The message for an apiVersion and kind (`apps/v1`, `Deployment` → k8s.io.api.apps.v1.Deployment). */
export function messageForKind(apiVersion: string, kind: string): MessageSpec | undefined {
  if (metaKinds.has(kind)) return messageSpec(`k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`);
  const slash = apiVersion.indexOf('/');
  const short = slash < 0 ? 'core' : apiVersion.slice(0, slash).replace(/\.k8s\.io$/, '');
  const group = packageOfGroup[short] ?? short;
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (group.includes('.')) return undefined;
  return messageSpec(`k8s.io.api.${group}.${version}.${kind}`);
}
