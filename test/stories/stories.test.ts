/**
 * Every story of the Storybook, built from the current sources and rendered in Chromium: it renders
 * without an error, with no axe violation, and with no contrast problem in either brand, light and
 * dark. The toolbar's globals (brand, language, theme) reach the story as the URL gives them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright';
import { args, executablePath } from '../helpers/chromium.mjs';
import { expectNoContrastProblems } from '../helpers/contrast.js';

const root = new URL('../..', import.meta.url).pathname;
const AXE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const BRANDS = ['lumiere', 'tilleuls'];
const THEMES = ['light', 'dark'];
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** Stories checked at once, each in its own page: most of a story's time is spent waiting on its play function. */
const PAGES = 3;
const DESKTOP = { width: 1000, height: 800 };
const MOBILE = { width: 375, height: 740 };

interface Preview {
  page: Page;
  /** Its errors and console errors since the story began. */
  errors: string[];
}

interface Entry {
  type: 'story' | 'docs';
  id: string;
  title: string;
  tags?: string[];
}

/** The wrapper the preview's decorator puts around a story, as the toolbar's globals made it. */
interface Frame {
  brand: string;
  style: string;
}

function buildStorybook(outputDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/storybook/dist/bin/dispatcher.js'), 'build', '-o', outputDir, '--quiet'],
      { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' } },
    );
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('close', (status) => (status === 0 ? resolve() : reject(new Error(`storybook build: ${errors}`))));
  });
}

function serve(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(join(dir, new URL(request.url ?? '/', 'http://localhost').pathname));
    if (!path.startsWith(dir)) return void response.writeHead(403).end();
    readFile(path).then(
      (body) =>
        response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** How long a story may take to settle in the state it shows before it counts as stuck. */
const SETTLE_LIMIT_MS = 20_000;

/**
 * Shows a story in the preview already loaded, as the sidebar does, and resolves once it is rendered
 * and its play function is done, with what went wrong if anything did.
 */
async function showStory(page: Page, id: string): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`not settled after ${SETTLE_LIMIT_MS / 1000} s`), SETTLE_LIMIT_MS);
  });
  const shown = page.evaluate(
    (storyId) =>
      new Promise<string | undefined>((resolve) => {
        const channel = (window as any).__STORYBOOK_ADDONS_CHANNEL__;
        const events = ['storyRendered', 'storyErrored', 'storyThrewException', 'playFunctionThrewException'];
        // Handlers by event, not named functions: the transpiler would wrap those in a helper the page lacks.
        const handlers: Record<string, (detail: unknown) => void> = {};
        for (const event of events) {
          handlers[event] = (detail) => {
            for (const name of events) channel.off(name, handlers[name]);
            resolve(
              event === 'storyRendered' ? undefined : `${event}: ${String((detail as Error)?.message ?? detail)}`,
            );
          };
          channel.on(event, handlers[event]);
        }
        // The story already shown (the one the page opened on) is rendered again from the start.
        if ((window as any).__STORYBOOK_PREVIEW__.currentRender?.id === storyId)
          channel.emit('forceRemount', { storyId });
        else channel.emit('setCurrentStory', { storyId, viewMode: 'story' });
      }),
    id,
  );
  try {
    return await Promise.race([shown, stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * axe's WCAG 2.2 A and AA rules, on the story (through its elements' shadow roots). Contrast is left
 * to `expectNoContrastProblems`, which measures it in every brand and theme.
 */
async function axeViolations(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const axe = (window as any).axe;
    const results = await axe.run('#storybook-root', {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      rules: { 'color-contrast': { enabled: false } },
      resultTypes: ['violations'],
    });
    return results.violations.map(
      (v: { id: string; help: string; nodes: { target: unknown }[] }) =>
        `${v.id} (${v.help}) at ${v.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`,
    );
  });
}

describe('Storybook: every story of every component', () => {
  let outputDir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  let stories: Entry[];
  /** The decorator's frame for each brand and theme, as the URL's globals made it. */
  const frames = new Map<string, Frame>();

  before(async () => {
    outputDir = mkdtempSync(join(tmpdir(), 'mes-storybook-'));
    await buildStorybook(outputDir);
    server = await serve(outputDir);
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const index = JSON.parse(readFileSync(join(outputDir, 'index.json'), 'utf8')) as {
      entries: Record<string, Entry>;
    };
    stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
    browser = await chromium.launch({ executablePath, args });
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (outputDir) rmSync(outputDir, { recursive: true, force: true });
  });

  it('has a story per state, in components only (no starter examples)', () => {
    const titles = new Set(stories.map((story) => story.title));
    assert.deepEqual([...titles].sort(), [
      'Components/Agenda sync button',
      'Components/Consent prompt',
      'Components/Document picker',
      'Components/Import document button',
      'Components/Send document button',
      'Components/Send measures button',
    ]);
    for (const title of titles) {
      const names = stories.filter((story) => story.title === title).map((story) => story.id.split('--')[1]);
      for (const state of ['session-loading', 'session-failed-to-load', 'pairing', 'dark', 'forced-colors', 'mobile']) {
        assert.ok(names.includes(state), `${title} has a « ${state} » story`);
      }
    }
  });

  it('takes the brand, the language and the theme from the URL’s globals', async () => {
    for (const brand of BRANDS) {
      for (const theme of THEMES) {
        await page.goto(
          `${base}/iframe.html?id=components-send-document-button--idle&viewMode=story&globals=brand:${brand};locale:en;theme:${theme}`,
        );
        await page.locator('mes-send-document-button').getByRole('button').waitFor();
        const frame = page.locator('.mes-story');
        assert.equal(await frame.getAttribute('data-brand'), brand);
        assert.equal(await frame.getAttribute('lang'), 'en');
        assert.match(await page.locator('mes-send-document-button').getByRole('button').innerText(), /Send to/);
        // The canvas is painted in the theme: dark behind a dark story.
        const canvas = await frame.evaluate((element) => {
          const [r, g, b] = getComputedStyle(element).backgroundColor.match(/\d+/g)!.map(Number);
          return (r + g + b) / 3;
        });
        assert.ok(theme === 'dark' ? canvas < 64 : canvas > 192, `${brand} ${theme}: canvas at ${canvas}`);
        frames.set(`${brand} ${theme}`, { brand, style: (await frame.getAttribute('style')) ?? '' });
      }
    }
  });

  it(
    'renders every story without an error, with no axe violation and no contrast problem',
    { concurrency: PAGES },
    async (t) => {
      assert.equal(frames.size, BRANDS.length * THEMES.length, 'the frames of every brand and theme are known');
      const idle = await Promise.all(Array.from({ length: PAGES }, () => openPreview()));
      await Promise.all(
        stories.map((story) =>
          t.test(story.id, async () => {
            const preview = idle.pop()!;
            try {
              await checkStory(preview, story);
              idle.push(preview);
            } catch (error) {
              // A stuck or broken story must not hold the next one back: a fresh preview for it.
              await preview.page.close();
              idle.push(await openPreview());
              throw error;
            }
          }),
        ),
      );
      await Promise.all(idle.map((preview) => preview.page.close()));
    },
  );

  /** A page with the preview loaded, and the errors it reports. */
  async function openPreview(): Promise<Preview> {
    // No transition half-way when the theme changes under a check.
    const page = await browser.newPage({ reducedMotion: 'reduce', viewport: DESKTOP });
    const preview: Preview = { page, errors: [] };
    page.on('pageerror', (error) => preview.errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error')
        preview.errors.push(`console error: ${message.text()} (${message.location().url})`);
    });
    // The a11y panel's own run off: axe runs here, once, on the settled story.
    await page.goto(`${base}/iframe.html?id=${stories[0].id}&viewMode=story&globals=a11y.manual:!true`, {
      waitUntil: 'commit',
    });
    await page.waitForFunction(() => (window as any).__STORYBOOK_PREVIEW__?.currentRender?.phase === 'finished');
    await page.addScriptTag({ content: AXE });
    preview.errors = [];
    return preview;
  }

  async function checkStory({ page, errors }: Preview, story: Entry) {
    const mobile = story.tags?.includes('mobile');
    await page.setViewportSize(mobile ? MOBILE : DESKTOP);
    await page.emulateMedia({ forcedColors: story.tags?.includes('forced-colors') ? 'active' : 'none' });
    errors.length = 0;
    assert.equal(await showStory(page, story.id), undefined, 'the story renders and its play function completes');
    assert.equal(await page.locator('body.sb-show-errordisplay').count(), 0, 'no error display');
    assert.ok(await page.locator('#storybook-root > *').count(), 'the story has content');
    assert.deepEqual(errors, [], 'no page or console error');
    assert.deepEqual(await axeViolations(page), [], 'no axe violation');
    if (mobile) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scroll at 375 px (${overflow} px too wide)`);
    }
    for (const [label, frame] of frames) {
      await page.evaluate(({ brand, style }) => {
        const element = document.querySelector<HTMLElement>('.mes-story')!;
        element.dataset['brand'] = brand;
        element.setAttribute('style', style);
      }, frame);
      await expectNoContrastProblems(page, `${story.id} in ${label}`);
    }
  }
});
