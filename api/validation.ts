// Validation helpers shared by every kind, with Kubernetes' own message texts
// (k8s.io/apimachinery/pkg/util/validation and .../api/validation).
import type { FieldError } from './resource.js';

// ---- FieldError constructors (field.Required, field.Invalid, ...) ----

/** Renders a value roughly as Go's `%#v` / `%q` do in Kubernetes messages. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
    return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  }
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 && Object.values(value).every((v) => typeof v === 'string')) {
    const entries = Object.entries(value as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

export function requiredError(field: string, detail?: string): FieldError {
  return { field, reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value' };
}
export function invalidError(field: string, value: unknown, detail: string): FieldError {
  return { field, reason: 'FieldValueInvalid', message: `Invalid value: ${formatValue(value)}: ${detail}` };
}
export function typeInvalidError(field: string, value: unknown, detail: string): FieldError {
  return { field, reason: 'FieldValueTypeInvalid', message: `Invalid value: ${formatValue(value)}: ${detail}` };
}
export function notSupportedError(field: string, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return { field, reason: 'FieldValueNotSupported', message: `Unsupported value: ${formatValue(value)}: supported values: ${list}` };
}
export function duplicateError(field: string, value: unknown): FieldError {
  return { field, reason: 'FieldValueDuplicate', message: `Duplicate value: ${formatValue(value)}` };
}
export function notFoundError(field: string, value: unknown): FieldError {
  return { field, reason: 'FieldValueNotFound', message: `Not found: ${formatValue(value)}` };
}
export function forbiddenError(field: string, detail: string): FieldError {
  return { field, reason: 'FieldValueForbidden', message: `Forbidden: ${detail}` };
}
export function tooLongError(field: string, max: number): FieldError {
  return { field, reason: 'FieldValueTooLong', message: `Too long: may not be more than ${max} bytes` };
}

/** Field is immutable: `Invalid value: ...: field is immutable` when `value` differs from `old`. */
export function validateImmutable(field: string, value: unknown, old: unknown): FieldError[] {
  return deepEqual(value, old) ? [] : [invalidError(field, value, 'field is immutable')];
}

/** Structural equality for JSON values; `undefined` members equal missing ones. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

// ---- Name formats ----

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;
const configMapKeyFmt = '[-._a-zA-Z0-9]+';

const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueRe = new RegExp(`^${labelValueFmt}$`);
const configMapKeyRe = new RegExp(`^${configMapKeyFmt}$`);

function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}
function regexError(msg: string, fmt: string, examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}'`).join(',  or ')}, regex used for validation is '${fmt}')`;
}

/** Each function returns the list of problems (empty when valid), like Kubernetes' IsXxx. */
export function isDns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(value)) {
    errs.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", dns1123LabelFmt, ['my-name', '123-abc']));
  }
  return errs;
}

export function isDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(value)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFmt, ['example.com']));
  }
  return errs;
}

export function isDns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(value)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", dns1035LabelFmt, ['my-name', 'abc-123']));
  }
  return errs;
}

/** Label keys, annotation keys, finalizers: `[prefix/]name`. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const e of isDns1123Subdomain(prefix)) errs.push(`prefix part ${e}`);
  } else {
    return [regexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, ['MyName', 'my.name', '123-abc']) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (name.length > 0 && !qualifiedNameRe.test(name)) {
    errs.push(`name part ${regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, ['MyName', 'my.name', '123-abc'])}`);
  }
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", labelValueFmt, ['MyValue', 'my_value', '12345']));
  }
  return errs;
}

/** ConfigMap and Secret data keys. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!configMapKeyRe.test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configMapKeyFmt, ['key.name', 'KEY_NAME', 'key-name']));
  }
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** IANA service names, used for named ports. */
export function isValidPortName(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(value)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(value)) errs.push('must contain at least one letter (a-z)');
  if (value.includes('--')) errs.push('must not contain consecutive hyphens');
  if (value.startsWith('-') || value.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

export function isValidIP(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}
export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}
export function isIPv6(value: string): boolean {
  if (!value.includes(':') || !/^[0-9a-fA-F:.]+$/.test(value)) return false;
  const dbl = value.split('::');
  if (dbl.length > 2) return false;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const all = [...groups(dbl[0] ?? ''), ...groups(dbl[1] ?? '')];
  let count = 0;
  for (const [i, g] of all.entries()) {
    if (g.includes('.')) {
      if (i !== all.length - 1 || !isIPv4(g)) return false;
      count += 2;
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      count += 1;
    }
  }
  return dbl.length === 2 ? count < 8 : count === 8;
}
export function isValidCIDR(value: string): boolean {
  const [ip, bits, ...rest] = value.split('/');
  if (rest.length > 0 || ip === undefined || bits === undefined || !/^[0-9]{1,3}$/.test(bits)) return false;
  return (isIPv4(ip) && Number(bits) <= 32) || (isIPv6(ip) && Number(bits) <= 128);
}

const quantityRe = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;
const quantitySuffix: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Parses a resource.Quantity into a plain number (`"500m"` → 0.5, `"1Gi"` → 1073741824); undefined when malformed. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  const s = q.trim();
  if (!quantityRe.test(s)) return undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(s);
  if (!m) return undefined;
  const num = Number(m[1]);
  const suffix = m[2] ?? '';
  if (/^[eE]/.test(suffix)) return num * 10 ** Number(suffix.slice(1));
  const mult = quantitySuffix[suffix];
  return mult === undefined ? undefined : num * mult;
}

export const quantityFormatMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

// ---- Maps: labels, annotations ----

export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const e of isQualifiedName(k)) errs.push(invalidError(field, k, e));
    for (const e of isValidLabelValue(v)) errs.push(invalidError(field, v, e));
  }
  return errs;
}

const totalAnnotationSizeLimit = 256 * 1024;

export function validateAnnotations(annotations: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const e of isQualifiedName(k.toLowerCase())) errs.push(invalidError(field, k, e));
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > totalAnnotationSizeLimit) errs.push(tooLongError(field, totalAnnotationSizeLimit));
  return errs;
}

/** Checks a string against a name-format function and reports each problem as Invalid. */
export function validateName(value: string, field: string, check: (v: string) => string[]): FieldError[] {
  return check(value).map((e) => invalidError(field, value, e));
}

/** Like validateName but for optional fields: an empty / missing value is fine. */
export function validateOptionalName(value: string | undefined, field: string, check: (v: string) => string[]): FieldError[] {
  return value ? validateName(value, field, check) : [];
}

export function validateNonNegative(value: number | undefined, field: string): FieldError[] {
  return value !== undefined && value < 0 ? [invalidError(field, value, 'must be greater than or equal to 0')] : [];
}

export function validatePositive(value: number | undefined, field: string): FieldError[] {
  return value !== undefined && value <= 0 ? [invalidError(field, value, 'must be greater than 0')] : [];
}

export function validateEnum(value: string | undefined, field: string, supported: readonly string[], required = false): FieldError[] {
  if (value === undefined || value === '') return required ? [requiredError(field)] : [];
  return supported.includes(value) ? [] : [notSupportedError(field, value, supported)];
}

/** A percentage (`"25%"`) or a non-negative integer, as used by maxSurge / minAvailable. */
export function validateIntOrPercent(value: string | number | undefined, field: string): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return validateNonNegative(value, field);
  const m = /^([0-9]+)%$/.exec(value);
  if (!m) return [invalidError(field, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  return [];
}

/** The numeric part of an int-or-percent, and whether it was a percentage. */
export function intOrPercentValue(value: string | number): { value: number; percent: boolean } {
  if (typeof value === 'number') return { value, percent: false };
  return { value: Number.parseInt(value, 10), percent: value.endsWith('%') };
}

export function tooManyError(field: string, actual: number, max: number): FieldError {
  return { field, reason: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} items` };
}
