/**
 * What the console benchmark measures on the live run view of a large workflow, in Chromium:
 *
 * - `render`: with the Runs list shown, the time from clicking the run until its graph has
 *   settled — node elements in the DOM (the visible ones: the view culls the rest) and the
 *   viewport fitted — timed in the page: each animation frame records how many node elements
 *   there are and the viewport's transform, and the graph counts as drawn at the first frame of
 *   a run of `settledFrames` frames in which neither changed.
 * - `panZoom`: real mouse input through Playwright (trusted events through the browser's input
 *   pipeline, as a user's): drags that pan the graph in a circle for the first half of `seconds`,
 *   then wheel steps that zoom out to the whole graph and back in; meanwhile the page records
 *   every frame's `requestAnimationFrame` timestamp and, every 8th frame, how many node elements
 *   the DOM holds.
 */
import type { Browser, Page } from 'playwright-core';

/** Frames without change after which the graph counts as drawn. */
const settledFrames = 5;

export interface RunViewRender {
  renderMs: number;
  /** Node elements in the DOM once drawn (the ones in view). */
  nodesInDom: number;
  /** Node cards carrying `data-state`, for checking the run's states were drawn. */
  statesShown: Record<string, number>;
}

/** Signs in and opens the Runs list on a fresh page (1280×800); the caller closes its context. */
export async function openRunsList(browser: Browser, url: string, username: string, password: string, runId: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The bench runs under tsx, whose `__name` wrapper is not in the page (see browserMeasures.ts).
  await context.addInitScript('globalThis.__name = (target) => target;');
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  await page.locator(`tr[data-run="${runId}"] button`).waitFor();
  return page;
}

export function measureRunViewRender(page: Page, runId: string, timeoutMs: number): Promise<RunViewRender> {
  return page.evaluate(
    ({ runId, timeoutMs, settledFrames }) =>
      new Promise<RunViewRender>((resolve, reject) => {
        const start = performance.now();
        (document.querySelector(`tr[data-run="${runId}"] button`) as HTMLButtonElement).click();
        let previous = '';
        let stableSince: number | undefined;
        let stableFrames = 0;
        const step = (now: number) => {
          const nodes = document.querySelectorAll('.react-flow [data-node-id]');
          const transform = (document.querySelector('.react-flow__viewport') as HTMLElement | null)?.style.transform ?? '';
          const seen = `${nodes.length}|${transform}`;
          if (nodes.length > 0 && seen === previous) {
            stableFrames++;
            if (stableFrames >= settledFrames) {
              const statesShown: Record<string, number> = {};
              for (const node of nodes) {
                const state = node.getAttribute('data-state') ?? 'none';
                statesShown[state] = (statesShown[state] ?? 0) + 1;
              }
              resolve({ renderMs: stableSince! - start, nodesInDom: nodes.length, statesShown });
              return;
            }
          } else {
            previous = seen;
            stableSince = now;
            stableFrames = 0;
          }
          if (now - start > timeoutMs) {
            reject(new Error(`the run graph did not settle within ${timeoutMs} ms (${nodes.length} nodes in the DOM)`));
            return;
          }
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    { runId, timeoutMs, settledFrames },
  );
}

export interface PanZoomTrace {
  frames: number[];
  /** The frames of the first half (drag-panning) and of the second (wheel-zooming). */
  panFrames: number[];
  zoomFrames: number[];
  mostNodes: number;
  /** Viewport transforms seen: more than a handful shows the input really moved the graph. */
  transforms: number;
}

export async function panAndZoom(page: Page, seconds: number): Promise<PanZoomTrace> {
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no React Flow pane to pan');
  const centre = { x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 };
  const recording = page.evaluate(
    ({ seconds }) =>
      new Promise<PanZoomTrace>((resolve) => {
        const frames: number[] = [];
        const transforms = new Set<string>();
        const viewport = document.querySelector('.react-flow__viewport') as HTMLElement;
        let mostNodes = 0;
        const step = (now: number) => {
          frames.push(now);
          transforms.add(viewport.style.transform);
          if (frames.length % 8 === 0) mostNodes = Math.max(mostNodes, document.querySelectorAll('.react-flow [data-node-id]').length);
          if (now - frames[0]! < seconds * 1_000) {
            requestAnimationFrame(step);
            return;
          }
          const half = frames[0]! + (seconds * 1_000) / 2;
          resolve({ frames, panFrames: frames.filter((time) => time <= half), zoomFrames: frames.filter((time) => time >= half), mostNodes, transforms: transforms.size });
        };
        requestAnimationFrame(step);
      }),
    { seconds },
  );
  let done = false;
  void recording.finally(() => (done = true)).catch(() => undefined);
  const started = Date.now();
  const half = (seconds * 1_000) / 2;
  // Pan: drag from the centre round a circle, pressing on the pane's empty background.
  await page.mouse.move(pane.x + 8, pane.y + 8);
  await page.mouse.down();
  for (let angle = 0; !done && Date.now() - started < half; angle += 0.15) {
    await page.mouse.move(pane.x + 8 + 220 * Math.sin(angle), pane.y + 8 + 160 * (1 - Math.cos(angle)));
  }
  await page.mouse.up();
  // Zoom: wheel steps out towards the whole graph, then back in, over and over.
  await page.mouse.move(centre.x, centre.y);
  for (let step = 0; !done; step++) await page.mouse.wheel(0, step % 40 < 20 ? 120 : -120);
  return recording;
}
