/**
 * The Workflows (builder) and Runs views, loaded on first use like the Overview: React Flow and
 * the graph layout are a large part of the bundle, and most sign-ins never open them. Both views
 * share one chunk for React Flow, so opening the second after the first fetches little.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import type { Role } from '../../../shared/security/permissions.js';

const WorkflowsView = lazy(async () => ({ default: (await import('./builder/WorkflowsView.js')).WorkflowsView }));
const RunsView = lazy(async () => ({ default: (await import('./runs/RunsView.js')).RunsView }));

function Loading({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <main>
          <h1>{title}</h1>
          <p className="empty" role="status">
            Loading…
          </p>
        </main>
      }
    >
      {children}
    </Suspense>
  );
}

export function LazyWorkflowsView({ role }: { role: Role }) {
  return (
    <Loading title="Workflows">
      <WorkflowsView role={role} />
    </Loading>
  );
}

export function LazyRunsView({ role }: { role: Role }) {
  return (
    <Loading title="Runs">
      <RunsView role={role} />
    </Loading>
  );
}
