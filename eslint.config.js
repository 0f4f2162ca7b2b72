// ESLint flat config: rules that catch bugs, not style. Formatting is Prettier's job
// (.prettierrc); eslint-config-prettier, last, turns off every rule that would fight it.
// Typed rules use each file's own tsconfig (tsconfig.json for src/test/bench/scripts,
// web/tsconfig.json for the dashboard) through the TypeScript project service.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'node_modules/',
    'dist/',
    'web/dist/',
    'coverage/',
    'test/artifacts/',
    'bench/results/',
    // Emitted by `npm run codegen` (codegen.yml).
    'generated/',
    'src/generated/',
    'web/src/gql/',
    // Fixtures the lint test (test/repo/lint.test.ts) lints on purpose: they hold the bugs.
    'test/fixtures/lint/',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Bugs: a promise nobody awaits loses its rejection; a promise where a callback's
      // return is ignored (an async listener) does too.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // A union member added later (a provider, a fault kind) must be handled wherever we switch on it.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        // A `default:` counts: where the code has one it is a deliberate catch-all (foreign id kinds, other states).
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `==` coerces ("1" == 1, "" == 0); the code base has no `== null` to allow.
      eqeqeq: ['error', 'always'],
      // The CLI, the simulators' launcher and the bench print to the terminal on purpose.
      'no-console': 'off',
      // Style, not bugs: without noUncheckedIndexedAccess `xs[0]!` is "unnecessary" but says what the author checked.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Style, not bugs: an async function without await still returns a promise, as its interface asks.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read parsed JSON (JSON.parse, Response.json(), page.evaluate) and vitest's asymmetric
    // matchers (expect.any(String)), which their libraries type `any`; no-explicit-any above keeps
    // the tests themselves from writing `any`, and the harness types answers with the schema's types.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (the build scripts, this file) is in no tsconfig.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['scripts/**/*.mjs', '*.js', '*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  prettier,
);
