// Opens fleet pages in headless Chromium (Debian's, through playwright-core, like test/tell/html-browser.test.ts):
// what the page requested, what it logged, its table rows as text, and a screenshot in .build/artifacts/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../support/paths.js';

const CHROMIUM = process.env.OOMSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(projectRoot, '.build', 'artifacts');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function chromiumUnavailable(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is absent (apt-get install chromium, or set OOMSCOPE_CHROMIUM)`;
}

export interface SeenPage {
  requests: string[];
  url: string;
  errors: string[];
  rows: string[][];
  styled: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: the page's DOM, inside page.evaluate (the project compiles without the DOM library).
declare const document: any;

/** Writes each page to .build/artifacts/NAME.html, opens it with scripts allowed (the policy must stop them) and screenshots NAME.png. */
export async function seeInChromium(pages: { name: string; html: string }[]): Promise<SeenPage[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // biome-ignore lint/suspicious/noExplicitAny: playwright-core is a devDependency loaded only when the browser is there.
  const { chromium } = (await import('playwright-core')) as any;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const seen: SeenPage[] = [];
    for (const { name, html } of pages) {
      const path = join(ARTIFACTS, `${name}.html`);
      writeFileSync(path, html);
      const page = await browser.newPage({ viewport: { width: 1100, height: 700 }, javaScriptEnabled: true });
      const s: SeenPage = { requests: [], url: pathToFileURL(path).href, errors: [], rows: [], styled: false };
      page.on('request', (r: { url(): string }) => s.requests.push(r.url()));
      page.on('console', (m: { type(): string; text(): string }) => {
        if (m.type() === 'error' || m.type() === 'warning') s.errors.push(m.text());
      });
      page.on('pageerror', (e: Error) => s.errors.push(e.message));
      await page.goto(s.url);
      s.rows = await page.evaluate(() =>
        [...document.querySelectorAll('table.fleet tbody tr')].map((tr: { querySelectorAll(q: string): { textContent: string }[] }) =>
          [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
        ),
      );
      // The stylesheet applied (the CSP allows it by hash): the table collapses its borders as the report's does.
      s.styled = await page.evaluate(() => document.defaultView.getComputedStyle(document.querySelector('table.fleet')).borderCollapse === 'collapse');
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      await page.close();
      seen.push(s);
    }
    return seen;
  } finally {
    await browser.close();
  }
}
