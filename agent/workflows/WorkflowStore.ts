/**
 * Workflow definitions in Postgres (`workflows`, `workflow_versions`): each save writes the next
 * immutable version under a lock on the workflow's row, so two authors saving at once get two
 * versions, never one overwritten. The store checks nothing about the definition itself (the API
 * runs `validateWorkflow` first).
 */
import type pg from 'pg';
import type { WorkflowDefinition } from '../../shared/workflows/workflowDefinition.js';
import { withTransaction } from '../records/withTransaction.js';

export interface StoredWorkflowVersion {
  name: string;
  version: number;
  latestVersion: number;
  definition: WorkflowDefinition;
  message: string;
  createdBy: string | null;
  createdAt: number;
}

export interface WorkflowSummary {
  name: string;
  description: string | null;
  latestVersion: number;
  nodeCount: number;
  updatedAt: number;
}

export type WorkflowVersionHeader = Pick<StoredWorkflowVersion, 'version' | 'message' | 'createdBy' | 'createdAt'>;

const lockOrCreate = `
insert into workflows (name, latest_version) values ($1, 1)
on conflict (name) do update set latest_version = workflows.latest_version + 1, updated_at = now()
returning latest_version`;

const insertVersion = `
insert into workflow_versions (workflow, version, definition, message, created_by) values ($1, $2, $3, $4, $5)
returning workflow, version, $2::integer as latest_version, definition, message, created_by, created_at`;

const selectVersion = `
select v.workflow, v.version, w.latest_version, v.definition, v.message, v.created_by, v.created_at
from workflow_versions v join workflows w on w.name = v.workflow
where v.workflow = $1 and v.version = coalesce($2, w.latest_version)`;

const selectWorkflows = `
select w.name, v.definition ->> 'description' as description, w.latest_version, jsonb_array_length(v.definition -> 'nodes') as node_count, w.updated_at
from workflows w join workflow_versions v on v.workflow = w.name and v.version = w.latest_version
order by w.name`;

const selectVersions = `select version, message, created_by, created_at from workflow_versions where workflow = $1 order by version desc`;

interface VersionRow {
  workflow: string;
  version: number;
  latest_version: number;
  definition: WorkflowDefinition;
  message: string;
  created_by: string | null;
  created_at: Date;
}

export class WorkflowStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Saves `definition` as the next version of its workflow (version 1 for a new name). */
  save(definition: WorkflowDefinition, message: string, createdBy: string | null): Promise<StoredWorkflowVersion> {
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ latest_version: number }>(lockOrCreate, [definition.name]);
      const version = rows[0]!.latest_version;
      const inserted = await client.query<VersionRow>(insertVersion, [definition.name, version, definition, message, createdBy]);
      return versionOf(inserted.rows[0]!);
    });
  }

  /**
   * The given version, or the latest; undefined when the workflow or the version does not exist.
   * `client`: read with a client already held (a run's transaction) instead of the pool.
   */
  async get(name: string, version?: number, client: pg.ClientBase | pg.Pool = this.pool): Promise<StoredWorkflowVersion | undefined> {
    const { rows } = await client.query<VersionRow>(selectVersion, [name, version ?? null]);
    return rows[0] && versionOf(rows[0]);
  }

  async list(): Promise<WorkflowSummary[]> {
    const { rows } = await this.pool.query<{ name: string; description: string | null; latest_version: number; node_count: number; updated_at: Date }>(selectWorkflows);
    return rows.map((row) => ({ name: row.name, description: row.description, latestVersion: row.latest_version, nodeCount: row.node_count, updatedAt: row.updated_at.getTime() }));
  }

  async versions(name: string): Promise<WorkflowVersionHeader[]> {
    const { rows } = await this.pool.query<{ version: number; message: string; created_by: string | null; created_at: Date }>(selectVersions, [name]);
    return rows.map((row) => ({ version: row.version, message: row.message, createdBy: row.created_by, createdAt: row.created_at.getTime() }));
  }

  /** Whether the workflow exists (at `version`, when given): the validator's check of sub-workflow nodes. */
  async exists(name: string, version?: number): Promise<boolean> {
    return (await this.get(name, version)) !== undefined;
  }

  /** Deletes the workflow and every version; false when there was none. */
  async delete(name: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('delete from workflows where name = $1', [name]);
    return (rowCount ?? 0) > 0;
  }
}

function versionOf(row: VersionRow): StoredWorkflowVersion {
  return {
    name: row.workflow,
    version: row.version,
    latestVersion: row.latest_version,
    definition: row.definition,
    message: row.message,
    createdBy: row.created_by,
    createdAt: row.created_at.getTime(),
  };
}
