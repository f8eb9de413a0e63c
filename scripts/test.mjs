// `npm test`: every suite of the repository, then one closing line "N passed, N failed[, N skipped]".
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const COUNTS = '@@counts ';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

/** Runs a command, echoing its output but for the counts lines, and returns the last counts reported. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    let counts;
    const take = (line) => {
      if (line.startsWith(COUNTS)) counts = JSON.parse(line.slice(COUNTS.length));
      else process.stdout.write(`${line}\n`);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      lines.forEach(take);
    });
    child.on('close', (status) => {
      if (pending) take(pending);
      const result = counts ?? { passed: 0, failed: 0, skipped: 0 };
      // A runner that died before reporting, or failed without a failed test, still fails the run.
      if ((status !== 0 || !counts) && result.failed === 0) result.failed = 1;
      resolve(result);
    });
  });
}

/** node:test suites (core, gateway, sandbox): TypeScript through tsx, spec output on screen. */
function runNodeSuites(files) {
  return run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    // A failed test must not hang the run on a server it left open.
    '--test-force-exit',
    '--test-timeout=60000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts/count-reporter.mjs')}`,
    '--test-reporter-destination=stdout',
    ...files,
  ]);
}

const nodeFiles = testFiles(join(root, 'test')).filter(
  (file) => !file.startsWith('test/elements/') && !file.startsWith('test/e2e/'),
);
const total = await runNodeSuites(nodeFiles);
const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
console.log(`\n${total.passed} passed, ${total.failed} failed${skipped}`);
process.exit(total.failed > 0 ? 1 : 0);
