// Debian's Chromium (no browser download), as root in CI: one launch configuration for every suite.
export const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const args = [
  '--no-sandbox', // CI runs as root
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
