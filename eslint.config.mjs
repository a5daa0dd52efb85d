// ESLint for the whole tree: strict type-checked rules for TypeScript (server, tests, examples,
// client), the recommended rules for the plain-JS scripts and benchmarks. Formatting is Prettier's.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated files are checked byte for byte against the generator (test/openapi-types), so they are not restyled.
    ignores: [
      'dist/',
      'dist-examples/',
      'dist-cli/',
      'client/dist/',
      'coverage/',
      'node_modules/',
      'data/',
      'bench/results/',
      'client/src/lib/api.generated.ts',
      'docs/openapi.json',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers and booleans in messages read fine; objects would not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Nest's DI needs classes with only static members or decorators on empty classes (modules).
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Entities and DTOs are plain data built as object literals here; no class invariants to bypass.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // `onClick={() => setOpen(false)}` is the React idiom; braces on every handler triple the lines and say nothing.
      // A void result used as a value (`const x = f()`, `return f()`) is still an error.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['client/**/*.tsx', 'client/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      // In a test a wrong `!` throws at that line and fails the test, which is what a guard would do; `find(...)!`
      // and spawn's 'pipe' streams (typed nullable) would otherwise each need a guard that only repeats the assertion.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node }, sourceType: 'module' },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['client/**'],
    languageOptions: { sourceType: 'commonjs' },
  },
  prettier,
);
