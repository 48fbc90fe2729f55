import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/portal/dist/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['@halve/*/src/*', '**/libs/*/src/**'], message: "Import another lib only through its index ('@halve/<lib>')." }] }],
    },
  },
  // Size limits (issue 17): files ≤ 500 lines everywhere, functions ≤ 80 lines in the libs and the server
  // apps (a portal page component is a long JSX function by nature; its files stay under 500).
  // Specs are exempt (a describe block is long); generated files are not code.
  {
    files: ['libs/*/src/**/*.ts', 'apps/**/*.{ts,tsx}'],
    // common-passwords.ts is generated data (a word list), not code.
    ignores: ['**/*.spec.ts', '**/*.test.tsx', 'libs/platform/src/auth/common-passwords.ts', 'apps/portal/src/api/schema.d.ts'],
    rules: { 'max-lines': ['error', { max: 500 }] },
  },
  {
    files: ['libs/*/src/**/*.ts', 'apps/api/**/*.ts', 'apps/worker/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['scripts/**/*.mjs', '*.js', '*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
