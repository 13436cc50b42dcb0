/**
 * The Overview, loaded on first use: its charts (recharts) are most of the bundle's weight, so
 * they come in a chunk of their own and the sign-in form paints without them. The chunk is
 * fetched from the same origin (`script-src 'self'` allows it), relative to the page, so it loads
 * alike from the agent and from the desktop app's files.
 */
import { lazy, Suspense } from 'react';

const OverviewView = lazy(async () => ({ default: (await import('./OverviewView.js')).OverviewView }));

export function LazyOverviewView() {
  return (
    <Suspense
      fallback={
        <main className="overview">
          <h1>Overview</h1>
          <p className="empty" role="status">
            Loading charts…
          </p>
        </main>
      }
    >
      <OverviewView />
    </Suspense>
  );
}
