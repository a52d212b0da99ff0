#!/usr/bin/env node
// After `tsc -p tsconfig.build.json`: every relative import in dist/ must name a .js file that
// exists. tsc rewrites `.ts` specifiers, but not every dynamic import() (TypeScript 5.9 skips
// those inside an `export default` expression), and such a miss only shows when the command
// runs from dist/. Exit 1 with one line per bad import.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const bad = [];
function visit(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) visit(path);
    else if (entry.name.endsWith('.js')) {
      const text = readFileSync(path, 'utf8');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g)) {
        const target = resolve(dirname(path), m[2]);
        if (!m[2].endsWith('.js') || !existsSync(target)) bad.push(`${path.slice(dist.length + 1)}: ${m[2]}`);
      }
    }
  }
}
visit(dist);
if (bad.length > 0) {
  console.error(`check-dist: ${bad.length} import(s) in dist/ that Node cannot load:\n  ${bad.join('\n  ')}`);
  process.exit(1);
}
