// ESLint 10 flat config with typescript-eslint's type-aware rules. ESLint (rather than Biome)
// because typescript-eslint's typed rules (no-floating-promises, no-misused-promises) catch
// the async mistakes a long-running serial pipeline cannot afford.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'coverage/', 'scratch/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // Kernel folders stay pure: no RxJS, no serialport, no Node built-ins.
    files: [
      'src/core/**/*.ts',
      'src/formats/**/*.ts',
      'src/encode/**/*.ts',
      'src/condition/**/*.ts',
      'src/synth/**/*.ts',
      'src/filterbank/**/*.ts',
      'src/snn/**/*.ts',
      'src/detect/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['rxjs', 'rxjs/*'], message: 'Kernels are pure: wrap them in src/operators instead.' },
            { group: ['serialport', '@serialport/*'], message: 'Serial I/O lives in src/sources.' },
            { group: ['node:*'], message: 'Kernels do no I/O: file and process access live at the edges.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
