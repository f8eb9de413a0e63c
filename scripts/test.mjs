// `npm test`: every suite of the repository, then one closing line "N passed, N failed[, N skipped]".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

/** node:test suites (core, gateway, sandbox): TypeScript through tsx, spec output on screen. */
function runNodeSuites(files) {
  const dir = mkdtempSync(join(tmpdir(), 'mes-kit-test-'));
  const countsFile = join(dir, 'counts.json');
  try {
    const { status } = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        // A failed test must not hang the run on a server it left open.
        '--test-force-exit',
        '--test-timeout=60000',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${join(root, 'scripts/count-reporter.mjs')}`,
        `--test-reporter-destination=${countsFile}`,
        ...files,
      ],
      { cwd: root, stdio: 'inherit' },
    );
    let counts = { passed: 0, failed: 0, skipped: 0 };
    try {
      counts = JSON.parse(readFileSync(countsFile, 'utf8'));
    } catch {
      counts.failed = 1; // the runner died before reporting
    }
    if (status !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const nodeFiles = testFiles(join(root, 'test')).filter(
  (file) => !file.startsWith('test/elements/') && !file.startsWith('test/e2e/'),
);
const total = runNodeSuites(nodeFiles);
const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
console.log(`\n${total.passed} passed, ${total.failed} failed${skipped}`);
process.exit(total.failed > 0 ? 1 : 0);
