/**
 * The Runs view: the list of workflow runs, or the run `workflowNavigation` has open (its live
 * graph). Loaded lazily with React Flow, so the rest of the console does not wait for it.
 */
import type { Role } from '../../../../shared/security/permissions.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import { RunsList } from './RunsList.js';
import { RunView } from './RunView.js';
import './runs.css';

export function RunsView({ role }: { role: Role }) {
  const run = useWorkflowNavigation((state) => state.run);
  return run ? <RunView key={run} runId={run} role={role} /> : <RunsList />;
}
