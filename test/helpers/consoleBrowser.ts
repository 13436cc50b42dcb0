/**
 * The web console in a real browser, for end-to-end tests: builds the renderer when its sources
 * changed, launches Debian's Chromium through playwright-core (never a downloaded browser), and
 * opens a page that records CSP violations and page errors. Screenshots go to `screenshotFolder`.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureRendererBuilt as buildRenderer } from '../../bench/console/rendererBuild.js';
import type { Role } from '../../shared/security/permissions.js';
import { testPassword } from './apiAgent.js';

export const chromiumPath = '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);
const root = resolve(import.meta.dirname, '../..');
export const screenshotFolder = join(root, 'test-results');

/** Why browser tests skip here, or null when they can run. */
export const browserSkipReason = haveChromium ? null : `${chromiumPath} is missing (install the distribution's chromium package)`;

/** Builds the renderer into out/renderer unless the build there is current (one build at a time across processes), and makes the screenshot folder. */
export async function ensureRendererBuilt(): Promise<void> {
  await buildRenderer();
  await mkdir(screenshotFolder, { recursive: true });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** A fresh page (its own in-memory session) at `url` that records CSP violations and page errors in `problems`. */
export async function openConsole(browser: Browser, url: string, { fakeClock = false } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (fakeClock) await page.clock.install();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  await page.goto(url);
  return { page, problems };
}

/** Signs in with the login form as the test user of `role` (see `startApiTestAgent`). */
export async function signIn(page: Page, role: Role, password = testPassword(role)): Promise<void> {
  await page.getByLabel('Username').fill(`${role}-user`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Saves a full-page screenshot as test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotFolder, `${name}.png`) });
}
