import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'coverage/**', 'services/dashboard/public/vendor/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Scripts and benchmarks talk to a person on a terminal.
    files: ['scripts/**', 'packages/*/scripts/**', '**/bench/**', '**/test/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // The domain is pure: no clock, no randomness, no I/O (dependency-cruiser guards imports).
    files: ['packages/domain/src/**'],
    rules: {
      'no-restricted-globals': ['error', 'fetch', 'process', 'setTimeout', 'setInterval'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass time in; domain code has no clock.' },
        { object: 'Math', property: 'random', message: 'Pass a seed in; domain code has no randomness.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Pass time in; domain code has no clock.',
        },
      ],
    },
  },
);
