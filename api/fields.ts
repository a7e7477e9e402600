// Field selectors, following k8s.io/apimachinery/pkg/fields: `key=value`, `key==value` and
// `key!=value` terms joined by commas, where `\,`, `\=` and `\\` escape characters in values.
import { SelectorError } from './labels.js';

export interface FieldRequirement {
  field: string;
  /** `==` is read as `=`. */
  op: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  /** Sorted by their written form, as Kubernetes sorts them. */
  readonly requirements: FieldRequirement[];
  /** True when there are no requirements, i.e. everything is selected. */
  readonly empty: boolean;
  /** A field that `get` does not know counts as "", as in Kubernetes' fields.Set. */
  matches(get: (field: string) => string | undefined): boolean;
  /** The value `field` must equal, if some `field=value` term demands one (fields.RequiresExactMatch). */
  fieldValue(field: string): string | undefined;
  /** Canonical form, with values escaped. */
  toString(): string;
}

/** fields.EscapeValue. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue: only the three escapes are known, and `,`/`=` must be escaped. */
function unescapeValue(value: string, term: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const escaped = value[i + 1];
      if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
        throw new SelectorError(
          `invalid field selector: invalid escape sequence '\\${escaped ?? ''}' in '${term}'`,
        );
      }
      out += escaped;
      i++;
    } else if (c === ',' || c === '=') {
      throw new SelectorError(`invalid field selector: unescaped character '${c}' in value of '${term}'`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Splits on commas that are not escaped, leaving escapes in place for unescapeValue. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/**
 * Parses a field selector; the empty string selects everything and empty terms (`a=b,`) are
 * skipped, as in Kubernetes. Unlike Kubernetes, a term with no field name (`=x`) is rejected.
 */
export function parseFieldSelector(s: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  // Kubernetes sorts the raw terms, which fixes the order of requirements and of toString().
  for (const term of splitTerms(s).sort()) {
    if (term === '') continue;
    // The first `!=`, `==` or `=` splits the term; field names have no escapes (fields.splitTerm).
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (!m) throw new SelectorError(`invalid field selector: can't understand '${term}'`);
    const [, field = '', op, rawValue = ''] = m;
    if (field === '') throw new SelectorError(`invalid field selector: no field name in '${term}'`);
    requirements.push({ field, op: op === '!=' ? '!=' : '=', value: unescapeValue(rawValue, term) });
  }
  return {
    requirements,
    empty: requirements.length === 0,
    matches: (get) => requirements.every((r) => ((get(r.field) ?? '') === r.value) === (r.op === '=')),
    fieldValue: (field) => requirements.find((r) => r.op === '=' && r.field === field)?.value,
    toString: () => requirements.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(','),
  };
}
