// The import graph of the source tree, read from the .ts files: what a file imports (static,
// `export … from` and dynamic `import('…')`), and every file reachable from one. For tests that
// hold the layering (DESIGN.md's "may import" table) and what a process may load.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from dist/testing/). */
export const repoRoot = resolve(fileURLToPath(new URL('../../', import.meta.url)));

const specifier = /(?:^|[\s;}])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;}])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Import specifiers of a source file, as written. Comments are skipped line-wise. */
export function importSpecifiers(file: string): string[] {
  const code = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l))
    .join('\n');
  return [...code.matchAll(specifier)].map((m) => m[1] ?? m[2] ?? m[3] ?? '').filter(Boolean);
}

/** The .ts file a relative specifier names, or undefined for packages and node: modules. */
export function resolveSpecifier(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = resolve(dirname(from), spec).replace(/\.js$/, '.ts');
  return existsSync(target) ? target : undefined;
}

/** Every source file reachable from `entry` through relative imports, `entry` included. */
export function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of importSpecifiers(file)) {
      const target = resolveSpecifier(file, spec);
      if (target) visit(target);
    }
  };
  visit(resolve(repoRoot, entry));
  return seen;
}

/** Every .ts source file under the repository (no node_modules, dist or dot folders). */
export function sourceFiles(dir = repoRoot): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A path relative to the repository root, for messages. */
export const fromRoot = (file: string): string => relative(repoRoot, file);

/**
 * Test code, by where it lives or how it is named (a path from the repository root): tests
 * (`*.test.ts`), test helpers (`*.testkit.ts`), and testing/, e2e/, bench/. Never shipped.
 */
export const isTestCode = (path: string): boolean => /\.test(kit)?\.ts$/.test(path) || /^(testing|e2e|bench)\//.test(path);
