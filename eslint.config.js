// ESLint 10 flat config with typescript-eslint's type-aware rules. ESLint (rather than Biome)
// because typescript-eslint's typed rules (no-floating-promises, no-misused-promises) catch
// the async mistakes a long-running serial pipeline cannot afford.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const KERNEL_PURITY = [
  { group: ['rxjs', 'rxjs/*'], message: 'Kernels are pure: wrap them in src/operators instead.' },
  { group: ['serialport', '@serialport/*'], message: 'Serial I/O lives in src/sources.' },
  { group: ['node:*'], message: 'Kernels do no I/O: file and process access live at the edges.' },
];

/**
 * What each folder of src/ may not import (the folders above it), as one no-restricted-imports
 * rule per folder: kernels (core, formats, encode, condition, synth, filterbank, snn, detect) →
 * operators, sources → sinks → pipeline → app → cli. Nothing imports the command line, and
 * nothing below src/app imports it. src/bench (the benchmarks) sits beside app: it may import
 * everything but cli, and only cli imports it.
 */
function layers() {
  const upper = ['operators', 'sources', 'sinks', 'pipeline', 'app', 'bench', 'cli'];
  const kernels = ['formats', 'encode', 'condition', 'synth', 'filterbank', 'snn', 'detect'];
  const forbid = (folders) => ({
    regex: `^(\\.\\./)+(${folders.join('|')})/`,
    message: `Layers: this folder may not import ${folders.join(', ')} (README "Architecture").`,
  });
  const rule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
  return [
    { files: ['src/core/**/*.ts'], rules: rule([...KERNEL_PURITY, forbid([...kernels, ...upper])]) },
    { files: kernels.map((k) => `src/${k}/**/*.ts`), rules: rule([...KERNEL_PURITY, forbid(upper)]) },
    { files: ['src/operators/**/*.ts'], rules: rule([forbid(['sources', 'sinks', 'pipeline', 'app', 'bench', 'cli'])]) },
    { files: ['src/sources/**/*.ts'], rules: rule([forbid(['operators', 'sinks', 'pipeline', 'app', 'bench', 'cli'])]) },
    { files: ['src/sinks/**/*.ts'], rules: rule([forbid(['operators', 'sources', 'pipeline', 'app', 'bench', 'cli'])]) },
    { files: ['src/pipeline/**/*.ts'], rules: rule([forbid(['sinks', 'app', 'bench', 'cli'])]) },
    { files: ['src/app/**/*.ts'], rules: rule([forbid(['bench', 'cli'])]) },
    { files: ['src/bench/**/*.ts'], rules: rule([forbid(['cli'])]) },
  ];
}

export default tseslint.config(
  { ignores: ['node_modules/', 'coverage/', 'scratch/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': 'off',
    },
  },
  // The layers (README "Architecture"): each folder imports only the folders below it.
  ...layers(),
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
