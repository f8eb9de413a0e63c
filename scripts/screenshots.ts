/**
 * The README's pictures: the demo portal in both brands, light and dark, as a patient logged in to the
 * portal first sees it (the consent prompt and the documents to send). With `--mobile`, the same at
 * 375 px too. `npx tsx --conditions=@mes-kit/source scripts/screenshots.ts [--mobile] [out-dir]`
 * (default docs/images/).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { logInToPortal, startPortal } from '../test/helpers/portal.js';

const flags = process.argv.slice(2);
const outDir = flags.find((flag) => !flag.startsWith('--')) ?? join(import.meta.dirname, '../docs/images');
const widths = flags.includes('--mobile') ? [1000, 375] : [1000];
const brands = [
  { id: 'lumiere', path: '/index.html' },
  { id: 'tilleuls', path: '/tilleuls.html' },
];

await mkdir(outDir, { recursive: true });
const portal = await startPortal();
try {
  for (const width of widths) {
    for (const brand of brands) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await portal.browser.newPage({ viewport: { width, height: 900 }, colorScheme });
        await logInToPortal(page, portal.url + brand.path);
        await page.locator('mes-consent-prompt').locator('input[role="switch"]').first().waitFor();
        const name = `${brand.id}-${colorScheme}${width === 1000 ? '' : `-${width}`}.png`;
        await page.screenshot({ path: join(outDir, name) });
        console.log(join(outDir, name));
        await page.close();
      }
    }
  }
} finally {
  await portal.close();
}
