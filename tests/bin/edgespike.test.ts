/**
 * bin/edgespike.js runs the built dist/cli.js unless a source file under src/ (at any depth) is
 * newer than it, or it is missing; then it runs src/cli.ts through tsx. Checked on a copy of the
 * script in a throwaway tree whose dist/cli.js and src/cli.ts each print which one ran, with
 * mtimes set by hand.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tree = mkdtempSync(join(tmpdir(), 'edgespike-bin-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

function file(path: string, text: string, mtimeSeconds: number): void {
  const at = join(tree, path);
  mkdirSync(join(at, '..'), { recursive: true });
  writeFileSync(at, text);
  utimesSync(at, mtimeSeconds, mtimeSeconds);
}

function run(): string {
  return execFileSync(process.execPath, [join(tree, 'bin', 'edgespike.js')], { encoding: 'utf8' }).trim();
}

describe('bin/edgespike.js', () => {
  mkdirSync(join(tree, 'bin'));
  copyFileSync(join(root, 'bin', 'edgespike.js'), join(tree, 'bin', 'edgespike.js'));
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
  file('package.json', '{ "type": "module" }', 1000);
  file('src/cli.ts', "console.log('src');", 1000);
  file('src/core/deep/x.ts', 'export const x = 1;', 1000);
  file('src/core/notes.json', '{}', 5000); // not a source file: its time does not count

  it('runs dist/cli.js when it is newer than every source file', () => {
    file('dist/cli.js', "console.log('dist');", 2000);
    expect(run()).toBe('dist');
  });

  it('runs src/cli.ts when a source file deep in src/ is newer than dist/cli.js', () => {
    utimesSync(join(tree, 'src/core/deep/x.ts'), 3000, 3000);
    expect(run()).toBe('src');
  });

  it('runs src/cli.ts when dist/cli.js is missing', () => {
    rmSync(join(tree, 'dist'), { recursive: true });
    expect(run()).toBe('src');
  });
});
