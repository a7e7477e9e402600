// Query parameters as Kubernetes reads them. Booleans follow Go's strconv.ParseBool, so the
// official Python client's `watch=True` and `stdin=True` mean what they say.

const truthy = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const falsy = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's strconv.ParseBool: undefined for anything it would reject. */
export function parseBool(text: string): boolean | undefined {
  if (truthy.has(text)) return true;
  if (falsy.has(text)) return false;
  return undefined;
}

/**
 * A boolean query parameter: absent or empty is false; a value ParseBool rejects throws the
 * error `invalid` builds from a message naming the parameter.
 */
export function queryBool(name: string, value: string | null | undefined, invalid: (message: string) => Error): boolean {
  if (value === undefined || value === null || value === '') return false;
  const b = parseBool(value);
  if (b === undefined) {
    throw invalid(`${name}: Invalid value: ${JSON.stringify(value)}: must be a boolean (1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False)`);
  }
  return b;
}
