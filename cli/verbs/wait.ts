// Small timing helpers for the verbs that wait (delete --wait, rollout status).
import { CliError } from './session.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `0`, `30s`, `2m`, `1h`, `1m30s` (Go duration subset) → ms. */
export function parseDuration(text: string, flag: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let ms = 0;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(text)) !== null) {
    const n = Number(m[1]);
    ms += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || text === '') throw new CliError(`invalid ${flag} "${text}": expected a duration like 30s, 2m or 1h`);
  return ms;
}

/** kubectl's boolean flags: `--flag`, `--flag=true`, `--flag=false`. */
export function parseBool(text: string | boolean): boolean {
  if (text === true || text === 'true') return true;
  if (text === 'false') return false;
  throw new CliError(`invalid boolean value "${String(text)}"`);
}
