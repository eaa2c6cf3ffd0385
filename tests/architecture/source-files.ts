import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', '.tools', '.git', 'test-results', 'playwright-report', 'release']);

/** Every file below the given top-level folders, as repository-relative paths. */
export function filesUnder(...roots: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative('.', path));
    }
  };
  for (const root of roots) walk(root);
  return out;
}

/** The module specifiers a TypeScript file imports (static, dynamic and re-exports). */
export function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const match of source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)) {
    specs.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return specs;
}
