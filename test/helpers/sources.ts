// The project's own source files and their imports, for contract tests that hold the architecture
// (test/unit/contracts/): which module may import which, and where a job's one copy lives.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every .ts/.mjs file under the folders (or the file itself) (relative to the repository, `/`-separated), sorted. */
export function sourceFiles(...folders: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const p = `${dir}/${name}`;
      if (statSync(join(ROOT, p)).isDirectory()) walk(p);
      else if (/\.(ts|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const f of folders) {
    if (statSync(join(ROOT, f)).isDirectory()) walk(f);
    else out.push(f);
  }
  return out.sort();
}

export function sourceText(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** The project files a source file imports (static `from '...'`, `import '...'` and `import('...')`), as repository paths (`.js` -> `.ts`). */
export function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const text = sourceText(file);
  const out: { target: string; typeOnly: boolean }[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4] ?? m[5];
    if (!spec || !spec.startsWith('.')) continue;
    const abs = resolve(ROOT, dirname(file), spec);
    out.push({ target: relative(ROOT, abs).split('\\').join('/').replace(/\.js$/, '.ts'), typeOnly: Boolean(m[2]) });
  }
  return out;
}

/** `file -> target` for every import from `from` folders into `into` folders (type-only imports too unless `values`). */
export function importsBetween(from: string[], into: string[], opts: { values?: boolean; except?: (file: string, target: string) => boolean } = {}): string[] {
  const within = (p: string, dirs: string[]) => dirs.some((d) => p === d || p.startsWith(`${d}/`));
  const bad: string[] = [];
  for (const f of sourceFiles(...from)) {
    for (const i of importsOf(f)) {
      if (opts.values && i.typeOnly) continue;
      if (within(i.target, into) && !opts.except?.(f, i.target)) bad.push(`${f} -> ${i.target}`);
    }
  }
  return bad;
}

/** Files (under the folders) whose text matches `re`, except the ones listed. */
export function filesMatching(re: RegExp, folders: string[], except: string[] = []): string[] {
  return sourceFiles(...folders).filter((f) => !except.includes(f) && re.test(sourceText(f)));
}
