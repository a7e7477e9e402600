// Label selectors, following k8s.io/apimachinery/pkg/labels so that a selector string (or a
// metav1.LabelSelector) means exactly what it means to kubectl and client-go, error texts included.

export class SelectorError extends Error {
  override name = 'SelectorError';
}

/** The operators of k8s.io/apimachinery/pkg/selection, spelled as Kubernetes spells them. */
export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Sorted and de-duplicated; empty for `exists` and `!`, a single integer for `gt`/`lt`. */
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** All requirements hold (a missing label map counts as no labels). */
  matches(labels: Record<string, string> | undefined): boolean;
  /** True only for the select-everything selector. */
  readonly empty: boolean;
  /** Sorted by key, as Kubernetes sorts them. */
  readonly requirements: Requirement[];
  /** Canonical string form, which parses back to the same selector (unless built by selectorFromSet from invalid labels). */
  toString(): string;
}

/** metav1.LabelSelector. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

// ---------------------------------------------------------------------------------------------
// Validation (k8s.io/apimachinery/pkg/util/validation)

const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why `key` is not a valid label key (a qualified name such as `example.com/app`), or undefined. */
export function labelKeyError(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `invalid label key "${key}": a qualified name has at most one '/'`;
  const name = parts.pop()!;
  const prefix = parts[0];
  if (prefix !== undefined) {
    if (prefix === '') return `invalid label key "${key}": prefix part must be non-empty`;
    if (prefix.length > 253) return `invalid label key "${key}": prefix part must be no more than 253 characters`;
    if (!DNS_SUBDOMAIN_RE.test(prefix)) {
      return `invalid label key "${key}": prefix part must be a lowercase RFC 1123 subdomain (e.g. 'example.com')`;
    }
  }
  if (name === '') return `invalid label key "${key}": name part must be non-empty`;
  if (name.length > 63) return `invalid label key "${key}": name part must be no more than 63 characters`;
  if (!NAME_RE.test(name)) {
    return `invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. The empty string is valid. */
export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return `invalid label value "${value}": must be no more than 63 characters`;
  if (!LABEL_VALUE_RE.test(value)) {
    return `invalid label value "${value}": must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  }
  return undefined;
}

// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64.
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** labels.NewRequirement: validates, then normalises the values. Throws SelectorError(prefix + reason). */
function newRequirement(key: string, operator: Operator, values: readonly string[], prefix: string): Requirement {
  const problem = (() => {
    const keyErr = labelKeyError(key);
    if (keyErr) return keyErr;
    switch (operator) {
      case 'in':
      case 'notin':
        if (values.length === 0) return `for 'in', 'notin' operators, values set can't be empty`;
        break;
      case '=':
      case '==':
      case '!=':
        if (values.length !== 1) return `exact-match compatibility requires one single value`;
        break;
      case 'exists':
      case '!':
        if (values.length !== 0) return `values set must be empty for exists and does not exist`;
        break;
      case 'gt':
      case 'lt':
        if (values.length !== 1) return `for 'Gt', 'Lt' operators, exactly one value is required`;
        if (parseInt64(values[0]!) === undefined) {
          return `for 'Gt', 'Lt' operators, the value must be an integer, got "${values[0]}"`;
        }
        break;
      default:
        return `operator '${operator as string}' is not recognized`;
    }
    for (const v of values) {
      const valueErr = labelValueError(v);
      if (valueErr) return valueErr;
    }
    return undefined;
  })();
  if (problem) throw new SelectorError(prefix + problem);
  return { key, operator, values: [...new Set(values)].sort() };
}

// ---------------------------------------------------------------------------------------------
// Selectors

function matchesRequirement(r: Requirement, labels: Record<string, string>): boolean {
  // hasOwn, so that a key like "constructor" is not found on Object.prototype.
  const v = Object.hasOwn(labels, r.key) ? labels[r.key] : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return v !== undefined && r.values.includes(v);
    case '!=':
    case 'notin':
      return v === undefined || !r.values.includes(v);
    case 'exists':
      return v !== undefined;
    case '!':
      return v === undefined;
    case 'gt':
    case 'lt': {
      // A label that is not an integer never satisfies Gt/Lt.
      const have = v === undefined ? undefined : parseInt64(v);
      const bound = parseInt64(r.values[0] ?? '');
      if (have === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? have > bound : have < bound;
    }
  }
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case '!':
      return `!${r.key}`;
    case 'exists':
      return r.key;
    case 'in':
    case 'notin':
      // A lone empty value prints as "(,)": Kubernetes would print "()", which does not parse back.
      return `${r.key} ${r.operator} (${r.values.length === 1 && r.values[0] === '' ? ',' : r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

class RequirementsSelector implements LabelSelector {
  readonly requirements: Requirement[];
  constructor(requirements: Requirement[]) {
    // Array.prototype.sort is stable, so requirements on the same key keep their written order.
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  get empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(labels: Record<string, string> | undefined): boolean {
    return this.requirements.every((r) => matchesRequirement(r, labels ?? {}));
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** Selects every object (labels.Everything()). */
export function everything(): LabelSelector {
  return new RequirementsSelector([]);
}

/** Selects no object (labels.Nothing()). Like Kubernetes, it prints as "" and is not `empty`. */
export function nothing(): LabelSelector {
  return { matches: () => false, empty: false, requirements: [], toString: () => '' };
}

/**
 * labels.SelectorFromSet: each label must equal its value; an empty set selects everything.
 * Like Kubernetes it does not validate, so it matches exactly whatever it is given.
 */
export function selectorFromSet(labels: Record<string, string>): LabelSelector {
  return new RequirementsSelector(
    Object.entries(labels).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })),
  );
}

const STRUCT_OPERATORS = new Map<string, Operator>([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/**
 * metav1.LabelSelectorAsSelector. A missing selector selects nothing, while `{}` selects
 * everything; workloads rely on that difference (e.g. a PodDisruptionBudget without a selector).
 */
export function selectorFromLabelSelector(sel: LabelSelectorSpec | undefined | null): LabelSelector {
  if (sel == null) return nothing();
  const labels = Object.entries(sel.matchLabels ?? {});
  const expressions = sel.matchExpressions ?? [];
  if (labels.length === 0 && expressions.length === 0) return everything();
  const reqs = labels.map(([key, v]) => newRequirement(key, '=', [v], 'matchLabels: '));
  for (const e of expressions) {
    const op = STRUCT_OPERATORS.get(e.operator);
    if (op === undefined) throw new SelectorError(`"${e.operator}" is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, e.values ?? [], 'matchExpressions: '));
  }
  return new RequirementsSelector(reqs);
}

// ---------------------------------------------------------------------------------------------
// String syntax (labels.Parse)

interface Token {
  kind: 'ident' | 'op' | 'eos';
  text: string;
}

const SPECIAL = new Set(['=', '!', '(', ')', ',', '<', '>']);
const SYMBOLS = new Set(['=', '==', '!', '!=', '(', ')', ',', '<', '>']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/** Identifiers run until whitespace or a special character; symbols take the longest match. */
function lex(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (WHITESPACE.has(c)) {
      i++;
    } else if (SPECIAL.has(c)) {
      const text = SYMBOLS.has(s.slice(i, i + 2)) ? s.slice(i, i + 2) : c;
      tokens.push({ kind: 'op', text });
      i += text.length;
    } else {
      let j = i;
      while (j < s.length && !WHITESPACE.has(s[j]!) && !SPECIAL.has(s[j]!)) j++;
      tokens.push({ kind: 'ident', text: s.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ kind: 'eos', text: '' });
  return tokens;
}

// Operators after a key. `in`/`notin` are only keywords here, so they remain usable as keys and values.
const BINARY_OPERATORS = new Map<string, Operator>([
  ['op:=', '='],
  ['op:==', '=='],
  ['op:!=', '!='],
  ['op:>', 'gt'],
  ['op:<', 'lt'],
  ['ident:in', 'in'],
  ['ident:notin', 'notin'],
]);

/**
 * Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k,l>1,m<2`. The empty string selects everything.
 * Throws SelectorError with Kubernetes' messages, e.g. `unable to parse requirement: found ...`.
 */
export function parseLabelSelector(s: string): LabelSelector {
  const tokens = lex(s);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => {
    const t = tokens[pos]!;
    if (t.kind !== 'eos') pos++;
    return t;
  };
  const isOp = (t: Token, text: string): boolean => t.kind === 'op' && t.text === text;
  const fail = (msg: string): never => {
    throw new SelectorError(`unable to parse requirement: ${msg}`);
  };

  function parseValues(): string[] {
    const open = next();
    if (!isOp(open, '(')) fail(`found '${open.text}', expected: '('`);
    if (isOp(peek(), ')')) {
      next();
      return []; // rejected by newRequirement with Kubernetes' message
    }
    const values: string[] = [];
    for (;;) {
      const t = peek();
      if (t.kind === 'ident') values.push(next().text);
      // Kubernetes reads an omitted value, as in "(a,)" or "(,a)", as the empty string.
      else if (isOp(t, ',') || isOp(t, ')')) values.push('');
      else fail(`found '${t.text}', expected: ',', ')' or identifier`);
      const sep = next();
      if (isOp(sep, ')')) return values;
      if (!isOp(sep, ',')) fail(`found '${sep.text}', expected: ',' or ')'`);
    }
  }

  function parseExactValue(): string[] {
    const t = peek();
    if (t.kind === 'eos' || isOp(t, ',')) return ['']; // `a=` means a is set to ""
    next();
    if (t.kind !== 'ident') fail(`found '${t.text}', expected: identifier`);
    return [t.text];
  }

  function parseRequirement(): Requirement {
    let t = next();
    const negated = isOp(t, '!');
    if (negated) t = next();
    if (t.kind !== 'ident') fail(`found '${t.text}', expected: identifier`);
    const key = t.text;
    // Checked before the operator so that a bad key is what gets reported, as in Kubernetes.
    const keyErr = labelKeyError(key);
    if (keyErr) fail(keyErr);
    // `!key` takes no operator; anything following it is reported by the caller.
    if (negated) return newRequirement(key, '!', [], 'unable to parse requirement: ');
    const after = peek();
    if (after.kind === 'eos' || isOp(after, ',')) return newRequirement(key, 'exists', [], 'unable to parse requirement: ');
    const opTok = next();
    const op = BINARY_OPERATORS.get(`${opTok.kind}:${opTok.text}`);
    if (op === undefined) return fail(`found '${opTok.text}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = op === 'in' || op === 'notin' ? parseValues() : parseExactValue();
    return newRequirement(key, op, values, 'unable to parse requirement: ');
  }

  const requirements: Requirement[] = [];
  for (;;) {
    const t = peek();
    if (t.kind === 'eos') break;
    if (t.kind !== 'ident' && !isOp(t, '!')) {
      throw new SelectorError(`found '${t.text}', expected: !, identifier, or 'end of string'`);
    }
    requirements.push(parseRequirement());
    const sep = next();
    if (sep.kind === 'eos') break;
    if (!isOp(sep, ',')) throw new SelectorError(`found '${sep.text}', expected: ',' or 'end of string'`);
    const t2 = peek();
    if (t2.kind !== 'ident' && !isOp(t2, '!')) {
      throw new SelectorError(`found '${t2.text}', expected: identifier after ','`);
    }
  }
  return new RequirementsSelector(requirements);
}
