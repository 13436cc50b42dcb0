/**
 * Playwright moves on the workflow builder's canvas (renderer/src/workflows/builder), shared by
 * the e2e tests that draw workflows: real HTML5 drags from the palette, and port-to-port drags
 * that draw edges.
 */
import type { Page } from 'playwright-core';

export const canvasNodes = (page: Page) => page.locator('.workflow-builder .react-flow__node');

export const builderNode = (page: Page, id: string) => page.locator(`.workflow-builder [data-node-id="${id}"]`);

export const nodePort = (page: Page, id: string, side: 'source' | 'target') => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.${side}`);

/** Drags a palette entry onto the canvas pane at `x`, `y` (pixels from the pane's corner) with real drag events. */
export async function dropFromPalette(page: Page, entry: string, x: number, y: number): Promise<void> {
  await page.getByRole('button', { name: entry, exact: true }).dragTo(page.locator('.workflow-canvas .react-flow__pane'), { targetPosition: { x, y } });
}

/** Drags from one node's output port to another's input port, and waits for the edge. */
export async function connectNodes(page: Page, from: string, to: string): Promise<void> {
  await nodePort(page, from, 'source').dragTo(nodePort(page, to, 'target'));
  await page.locator(`.react-flow__edge[data-id="${from}->${to}"]`).waitFor();
}

/** The builder's settings panel of the selected node. */
export const nodeSettings = (page: Page) => page.getByRole('region', { name: 'Node settings' });
