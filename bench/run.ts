/**
 * Benchmark entry: `npm run bench -- <name> [flags]`. Each benchmark is a program that prints its
 * numbers beside the peers it compares against, measured in the same run (see docs/benchmarks.md).
 */
const benchmarks: Record<string, () => Promise<{ main: (argv: string[]) => Promise<number> }>> = {
  queue: () => import('./queue/queueBench.js'),
  api: () => import('./api/apiBench.js'),
  console: () => import('./console/consoleBench.js'),
  workflow: () => import('./workflow/workflowBench.js'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name === undefined ? undefined : benchmarks[name];
if (load === undefined) {
  console.error(`unknown benchmark ${JSON.stringify(name ?? '')}; known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
const { main } = await load();
process.exitCode = await main(rest);
