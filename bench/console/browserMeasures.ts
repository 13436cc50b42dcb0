/**
 * What the console benchmark measures in Chromium, each timed inside the page (the
 * `performance` clock, so no DevTools round trip is counted):
 *
 * - `firstPaint`: a fresh context (empty cache) opens the console. Navigation start is
 *   `performance.timeOrigin` (0). The first meaningful paint is the first paint showing the
 *   sign-in form: a MutationObserver installed before the page's scripts records when the form
 *   enters the DOM, and the Paint Timing API's `first-contentful-paint` entry when the page first
 *   painted. The page has nothing else to paint (an empty `#root` until React renders), so when
 *   the form was in the DOM by the first contentful paint, that paint is the one; otherwise the
 *   frame after the form appeared (two `requestAnimationFrame`s later) is taken.
 * - `loadAll`: signs in, searches the bench queue and presses "Load all matching"; the time from
 *   submitting the search until the list holds every task (its count says "complete").
 * - `scroll`: scrolls the list from top to bottom in `seconds`, setting `scrollTop` in every
 *   animation frame in proportion to the time elapsed (so each frame shows entirely new rows: a
 *   worst case for a virtualised list), and records every frame's `requestAnimationFrame`
 *   timestamp and how many rows the DOM held.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

/**
 * A fresh context (empty cache) of the size the numbers are reported for. The bench runs under
 * tsx, whose compiler wraps named functions in a `__name(fn, "name")` helper; the functions this
 * file hands to `page.evaluate` are serialised into the page without it, so the page gets a
 * do-nothing `__name`.
 */
async function freshContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript('globalThis.__name = (target) => target;');
  return context;
}

export interface PaintTiming {
  firstContentfulPaintMs: number;
  loginFormInDomMs: number;
  /** The frame after the sign-in form entered the DOM. */
  loginFormFrameMs: number;
  /** The reported number: see the module comment. */
  firstMeaningfulPaintMs: number;
  domContentLoadedMs: number;
}

interface PaintWindow {
  benchLoginInDom?: number;
  benchLoginFrame?: number;
}

export async function measureFirstPaint(browser: Browser, url: string): Promise<PaintTiming> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const marks = window as PaintWindow;
      new MutationObserver((_, observer) => {
        if (!document.querySelector('form[aria-label="Sign in"]')) return;
        observer.disconnect();
        marks.benchLoginInDom = performance.now();
        requestAnimationFrame(() => requestAnimationFrame((time) => (marks.benchLoginFrame = time)));
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url);
    await page.locator('form[aria-label="Sign in"]').waitFor();
    await page.waitForFunction(() => (window as PaintWindow).benchLoginFrame !== undefined);
    return await page.evaluate(async () => {
      const paint = await new Promise<number>((resolve) => {
        new PerformanceObserver((list, observer) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) {
            observer.disconnect();
            resolve(entry.startTime);
          }
        }).observe({ type: 'paint', buffered: true });
      });
      const marks = window as PaintWindow;
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const inDom = marks.benchLoginInDom!;
      return {
        firstContentfulPaintMs: paint,
        loginFormInDomMs: inDom,
        loginFormFrameMs: marks.benchLoginFrame!,
        firstMeaningfulPaintMs: inDom <= paint ? paint : marks.benchLoginFrame!,
        domContentLoadedMs: navigation.domContentLoadedEventEnd,
      };
    });
  } finally {
    await context.close();
  }
}

export interface LoadTiming {
  loadAllMs: number;
  rows: number;
  /** Chromium's `performance.memory.usedJSHeapSize` once every row is held, in MB. */
  heapMb: number;
}

/** Signs in and opens the Tasks view of a fresh page; the caller closes its context. */
export async function openTasksView(browser: Browser, url: string, username: string, password: string): Promise<Page> {
  const context = await freshContext(browser);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Tasks', exact: true }).click();
  await page.getByRole('form', { name: 'Search tasks' }).waitFor();
  return page;
}

export async function measureLoadAll(page: Page, queue: string, timeoutMs: number): Promise<LoadTiming> {
  await page.locator('form[aria-label="Search tasks"] select[name="queue"]').selectOption(queue);
  return page.evaluate(
    ({ timeoutMs }) =>
      new Promise<LoadTiming>((resolve, reject) => {
        const button = (label: string) => [...document.querySelectorAll('button')].find((element) => element.textContent === label);
        const start = performance.now();
        button('Search')!.click();
        let pressed = false;
        const check = () => {
          const status = document.querySelector('.task-count');
          if (status?.getAttribute('data-complete') === 'true') {
            const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
            resolve({ loadAllMs: performance.now() - start, rows: Number(status.getAttribute('data-loaded')), heapMb: (memory?.usedJSHeapSize ?? 0) / 1_048_576 });
            return;
          }
          if (performance.now() - start > timeoutMs) {
            reject(new Error(`the list did not finish loading within ${timeoutMs} ms: ${status?.textContent ?? 'no status'}`));
            return;
          }
          const loadAll = button('Load all matching');
          if (!pressed && loadAll) {
            loadAll.click();
            pressed = true;
          }
          setTimeout(check, 10);
        };
        check();
      }),
    { timeoutMs },
  );
}

export interface ScrollTrace {
  /** `requestAnimationFrame` timestamps, one per frame, in ms. */
  frames: number[];
  /** Most `.task-row` elements in the DOM at any sampled frame. */
  mostRows: number;
  /** Whether the last task's row was in the DOM at the end. */
  reachedLast: boolean;
}

export function scrollThrough(page: Page, seconds: number): Promise<ScrollTrace> {
  return page.evaluate(
    ({ seconds }) =>
      new Promise<ScrollTrace>((resolve) => {
        const scroller = document.querySelector('.task-table-scroll') as HTMLElement;
        const rows = Number(document.querySelector('.task-count')?.getAttribute('data-loaded'));
        scroller.scrollTop = 0;
        // Read once: reading layout in every frame would force a layout the page itself never asks for.
        const end = scroller.scrollHeight - scroller.clientHeight;
        const frames: number[] = [];
        let mostRows = 0;
        let start: number | undefined;
        const step = (now: number) => {
          start ??= now;
          frames.push(now);
          if (frames.length % 8 === 0) mostRows = Math.max(mostRows, scroller.querySelectorAll('.task-row').length);
          const progress = (now - start) / (seconds * 1_000);
          scroller.scrollTop = Math.min(1, progress) * end;
          if (progress < 1) {
            requestAnimationFrame(step);
            return;
          }
          requestAnimationFrame(() =>
            requestAnimationFrame(() => resolve({ frames, mostRows, reachedLast: scroller.querySelector(`.task-row[data-index="${rows - 1}"]`) !== null })),
          );
        };
        requestAnimationFrame(step);
      }),
    { seconds },
  );
}

/**
 * `requestAnimationFrame` timestamps for `seconds` on the same page without scrolling: how many
 * frames this browser on this machine draws when the page does nothing, the ceiling for `scroll`.
 */
export function idleFrames(page: Page, seconds: number): Promise<number[]> {
  return page.evaluate(
    ({ seconds }) =>
      new Promise<number[]>((resolve) => {
        const frames: number[] = [];
        const step = (now: number) => {
          frames.push(now);
          if (now - frames[0]! < seconds * 1_000) requestAnimationFrame(step);
          else resolve(frames);
        };
        requestAnimationFrame(step);
      }),
    { seconds },
  );
}
