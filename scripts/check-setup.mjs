// Runs before `npm start` and `npm test`: says exactly what is missing instead of failing obscurely.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const problems = [];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  problems.push(`Node.js ${process.versions.node} is too old: install Node.js 20.19 or later (20.x or 22.x).`);
}
const require = createRequire(import.meta.url);
for (const name of ['tsx', 'oidc-provider', 'better-sqlite3']) {
  try {
    require.resolve(name);
  } catch {
    problems.push(
      `The dependencies are not installed (${name} is missing): run \`npm install\` at the root of the repository.`,
    );
    break;
  }
}
if (problems.length === 0) {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
  } catch (error) {
    problems.push(
      `better-sqlite3 cannot load (${error.message.split('\n')[0]}): it compiles from source and needs python3, make and g++; ` +
        'install them (Debian: `apt-get install build-essential python3`) and run `npm rebuild better-sqlite3`.',
    );
  }
}
if (process.argv.includes('--browser')) {
  const chromium = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    problems.push(
      `The browser tests need Chromium at ${chromium}: install it (Debian: \`apt-get install chromium\`) or set CHROME_PATH.`,
    );
  }
}
if (process.argv.includes('--redis')) {
  // The multi-instance tests start a real Redis.
  const found = process.env.PATH.split(':').some((dir) => existsSync(`${dir}/redis-server`));
  if (!found) {
    problems.push('The gateway’s Redis tests need redis-server: install it (Debian: `apt-get install redis-server`).');
  }
}
if (problems.length > 0) {
  console.error(`mes-kit cannot run yet:\n- ${[...new Set(problems)].join('\n- ')}`);
  process.exit(1);
}
