-- 0009_run_node_attempts: how many attempts a workflow node's task took, recorded when the node
-- finishes with it (null while it runs, and for nodes that ran no task of their own: map nodes,
-- sub-workflows, nodes that failed before enqueuing). See docs/workflows.md.
-- Applied migrations are never edited: change the schema in a new numbered file (docs/records.md).

alter table workflow_run_nodes add column attempts integer;
