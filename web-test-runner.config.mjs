// Element tests in Debian's Chromium (no browser download): `web-test-runner` runs test/elements.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { defaultReporter } from '@web/test-runner';
import { args, executablePath } from './test/helpers/chromium.mjs';

/** Ends the output with one plain line, "N passed, N failed, N skipped", for scripts/test.mjs. */
function plainSummaryReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const walk = (suite) => {
        for (const test of suite.tests) {
          if (test.skipped) skipped++;
          else if (test.passed) passed++;
          else failed++;
        }
        for (const child of suite.suites) walk(child);
      };
      for (const session of sessions) {
        if (session.testResults) walk(session.testResults);
        // A test file that cannot even load counts as one failure.
        const empty = !session.testResults?.tests?.length && !session.testResults?.suites?.length;
        if (!session.passed && empty) failed++;
      }
      setTimeout(() => process.stdout.write(`\n@@wtr ${passed} passed, ${failed} failed, ${skipped} skipped\n`), 0);
    },
  };
}

export default {
  files: ['test/elements/**/*.test.ts'],
  // @mes-kit/* from their TypeScript sources, not from a build.
  nodeResolve: { exportConditions: ['@mes-kit/source', 'browser', 'development'] },
  // The raw tsconfig is read (its "extends" is not followed): point at the file with the decorator flags.
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.base.json' })],
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, headless: true, args } })],
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  reporters: [defaultReporter(), plainSummaryReporter()],
};
