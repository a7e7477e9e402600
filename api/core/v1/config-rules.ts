// Defaulting and validation for ConfigMap and Secret.
import type { FieldError } from '../../resource.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import {
  deepEqual, forbiddenError, invalidError, isConfigMapKey, requiredError, tooLongError, validateImmutable,
} from '../../validation.js';
import type { ConfigMap, Secret } from './config.js';

/** Total size of a ConfigMap's or Secret's data (corev1.MaxSecretSize). */
export const maxDataSize = 1024 * 1024;

const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isBase64(s: string): boolean {
  return base64Re.test(s);
}

function validateDataKeys(data: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(data ?? {})) {
    for (const e of isConfigMapKey(k)) errs.push(invalidError(`${field}[${k}]`, k, e));
  }
  return errs;
}

function validateImmutableData(obj: ConfigMap | Secret, old: ConfigMap | Secret): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbiddenError('immutable', 'field is immutable when `immutable` is set'));
  if (!deepEqual(obj.data, old.data)) errs.push(forbiddenError('data', 'field is immutable when `immutable` is set'));
  if ('binaryData' in obj || 'binaryData' in old) {
    const a = (obj as ConfigMap).binaryData;
    const b = (old as ConfigMap).binaryData;
    if (!deepEqual(a, b)) errs.push(forbiddenError('binaryData', 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export function validateConfigMap(cm: ConfigMap, old?: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, { namespaced: true });
  errs.push(...validateDataKeys(cm.data, 'data'));
  errs.push(...validateDataKeys(cm.binaryData, 'binaryData'));
  let size = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    if (cm.data && k in cm.data) errs.push(invalidError(`binaryData[${k}]`, k, 'duplicate of key present in data'));
    if (!isBase64(v)) errs.push(invalidError(`binaryData[${k}]`, '<value omitted>', 'must be base64 encoded'));
    size += Buffer.byteLength(k) + Math.floor((v.length * 3) / 4);
  }
  if (size > maxDataSize) errs.push(tooLongError('', maxDataSize));
  if (old) {
    errs.push(...validateObjectMetaUpdate(cm.metadata, old.metadata));
    errs.push(...validateImmutableData(cm, old));
  }
  return errs;
}

/** Secret type defaults to Opaque; stringData is folded into base64 `data` and removed. */
export function setSecretDefaults(secret: Secret): void {
  secret.type ??= 'Opaque';
  if (secret.stringData) {
    const data = (secret.data ??= {});
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
    delete secret.stringData;
  }
}

/** Keys a typed secret must carry in `data`. */
const requiredKeys: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecret(secret: Secret, old?: Secret): FieldError[] {
  const errs = validateObjectMeta(secret.metadata, { namespaced: true });
  const data = { ...(secret.data ?? {}) };
  // stringData is folded into data by defaulting; validate it too when it is still there.
  for (const [k, v] of Object.entries(secret.stringData ?? {})) data[k] = Buffer.from(v, 'utf8').toString('base64');
  let size = 0;
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    if (!isBase64(v)) errs.push(invalidError(`data[${k}]`, '<secret contents redacted>', 'must be base64 encoded'));
  }
  for (const [k, v] of Object.entries(data)) {
    for (const e of isConfigMapKey(k)) errs.push(invalidError(`data[${k}]`, k, e));
    size += Math.floor((v.length * 3) / 4);
  }
  if (size > maxDataSize) errs.push(tooLongError('data', maxDataSize));
  const type = secret.type ?? 'Opaque';
  for (const key of requiredKeys[type] ?? []) {
    if (!(key in data)) errs.push(requiredError(`data[${key}]`));
  }
  if (type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(requiredError('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(requiredError('data[username]', 'either username or password is required'));
  }
  if (old) {
    errs.push(...validateObjectMetaUpdate(secret.metadata, old.metadata));
    errs.push(...validateImmutable('type', type, old.type ?? 'Opaque'));
    errs.push(...validateImmutableData(secret, old));
  }
  return errs;
}
