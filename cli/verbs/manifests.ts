// Reading `-f FILE|DIR|-`: multi-document YAML or JSON, directories (recursively with -R), stdin.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../client/index.js';
import { CliError } from './session.js';

export interface Manifest {
  obj: KubeObject;
  /** File name (or `STDIN`) for error messages. */
  source: string;
}

const manifestExts = new Set(['.yaml', '.yml', '.json']);

/** Every object of every `-f` argument, in order. `List` documents are flattened. */
export async function readManifests(files: string[], recursive: boolean): Promise<Manifest[]> {
  if (files.length === 0) throw new CliError('must specify one of -f and -k');
  const out: Manifest[] = [];
  for (const f of files) {
    if (f === '-') {
      out.push(...parseManifests(await readStdin(), 'STDIN'));
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(f).isDirectory();
    } catch {
      throw new CliError(`the path "${f}" does not exist`);
    }
    const paths = isDir ? listDir(f, recursive) : [f];
    for (const p of paths) out.push(...parseManifests(readFileSync(p, 'utf8'), p));
  }
  if (out.length === 0) throw new CliError('no objects passed to apply');
  return out;
}

function listDir(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...listDir(p, recursive));
    } else if (manifestExts.has(extname(entry.name))) {
      out.push(p);
    }
  }
  return out;
}

export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new CliError(`error parsing ${source}: ${doc.errors[0]!.message.split('\n')[0]}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new CliError(`error parsing ${source}: a document is not an object`);
    const obj = value as KubeObject & { items?: unknown };
    if (obj.kind === 'List' && Array.isArray(obj.items)) {
      for (const item of obj.items) out.push({ obj: item as KubeObject, source });
    } else {
      out.push({ obj, source });
    }
  }
  return out;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}
