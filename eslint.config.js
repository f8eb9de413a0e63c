// One lint configuration for the whole repository (typescript-eslint, type-aware; Lit and
// web-component rules where elements live), plus the dependency rules between packages.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ELEMENT_FILES = ['packages/elements/**/*.ts', 'stories/**/*.ts', 'test/elements/**/*.ts'];

export default defineConfig(
  // packages/elements/jsx/: declarations for frameworks the repository does not install (Preact, Vue,
  // Svelte), shipped as written; test/packaging type-checks a React app against them.
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      'storybook-static/',
      '.mes-sandbox/',
      'test-results/',
      'packages/elements/jsx/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Sync implementations of async interfaces (store, adapters) are fine.
      '@typescript-eslint/require-await': 'off',
      // `const { id, ...rest } = value` is how a key is left out.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read arbitrary FHIR JSON: `any` is the honest type there.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
    },
  },
  {
    // chai: `expect(x).to.be.true` is an expression statement, and its assertions are thenables.
    files: ['test/elements/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', '@typescript-eslint/no-floating-promises': 'off' },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  { files: ['packages/sandbox/src/cli.ts', 'scripts/**', 'bench/**'], rules: { 'no-console': 'off' } },
  { files: ELEMENT_FILES, extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended']] },
  {
    files: ['packages/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@mes-kit/elements*',
                '@mes-kit/gateway*',
                '@mes-kit/sandbox*',
                'lit',
                'lit/*',
                '@lit/*',
                'node:*',
              ],
              message: 'core is isomorphic and imports no other package of the kit.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'localStorage', 'sessionStorage'],
    },
  },
  { files: ['packages/core/src/node/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['packages/elements/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@mes-kit/core/*', '@mes-kit/sandbox*', '@mes-kit/gateway*', '**/core/src/**'],
              message: 'elements import core through its public entry only.',
            },
          ],
        },
      ],
    },
  },
);
