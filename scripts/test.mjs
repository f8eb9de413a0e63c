// `npm test`: every suite of the repository — node:test (core, gateway, sandbox, end to end) and
// web-test-runner (elements in Chromium) — then one closing line "N passed, N failed[, N skipped]".
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

/**
 * Runs a suite, echoing its output but for its counts lines (those starting with `marker`), and
 * resolves with the last counts it reported.
 */
function run(command, args, marker, parse) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    let counts;
    const take = (line) => {
      const at = line.indexOf(marker);
      if (at >= 0) counts = parse(line.slice(at + marker.length));
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

const files = testFiles(join(root, 'test'));
const nodeFiles = files.filter((file) => !file.startsWith('test/elements/'));
const suites = [
  // TypeScript through tsx, @mes-kit/* from their sources; a failed test must not hang the run on a server it left open.
  () =>
    run(
      process.execPath,
      [
        '--conditions=@mes-kit/source',
        '--import',
        'tsx',
        '--test',
        '--test-force-exit',
        '--test-timeout=120000',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${join(root, 'scripts/count-reporter.mjs')}`,
        '--test-reporter-destination=stdout',
        ...nodeFiles,
      ],
      '@@counts ',
      (text) => JSON.parse(text),
    ),
  () =>
    run(process.execPath, [join(root, 'node_modules/@web/test-runner/dist/bin.js')], '@@wtr ', (text) => {
      const [passed, failed, skipped] = text.match(/\d+/g).map(Number);
      return { passed, failed, skipped };
    }),
];

const total = { passed: 0, failed: 0, skipped: 0 };
for (const suite of suites) {
  const counts = await suite();
  for (const key of Object.keys(total)) total[key] += counts[key];
}
const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
console.log(`\n${total.passed} passed, ${total.failed} failed${skipped}`);
process.exit(total.failed > 0 ? 1 : 0);
