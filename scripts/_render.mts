// Re-render every eval-table / eval-hrv-table / eval-af-table in README.md from `node dist/cli.js eval ARGS --json`.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { markdownFromEvalAfJson, markdownFromEvalHrvJson, markdownFromEvalJson } from '/work/main/src/pipeline/evalReport.ts';
const path = '/work/main/README.md';
let readme = readFileSync(path, 'utf8');
const cache = new Map<string, any>();
for (const kind of ['eval-table', 'eval-hrv-table', 'eval-af-table'] as const) {
  const re = new RegExp(`(<!-- ${kind}: (.+?) -->\\n)((?:\\|.*\\n)*)`, 'g');
  readme = readme.replace(re, (_m, marker: string, args: string) => {
    const key = args.trim();
    let report = cache.get(key);
    if (report === undefined) {
      const out = execFileSync('node', ['/work/main/dist/cli.js', 'eval', ...key.split(/\s+/), '--json'], { cwd: '/work/main', maxBuffer: 1 << 28 }).toString();
      report = JSON.parse(out);
      cache.set(key, report);
      console.error(`ran eval ${key}`);
    }
    const table = kind === 'eval-table' ? markdownFromEvalJson(report) : kind === 'eval-hrv-table' ? markdownFromEvalHrvJson(report) : markdownFromEvalAfJson(report);
    return marker + table;
  });
}
writeFileSync(path, readme);
