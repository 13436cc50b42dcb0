/**
 * Import and export of a definition as a JSON file. Export writes the draft as it is. Import
 * takes a file only when it is JSON and has the shape of a definition (the schema of
 * `workflowDefinition`); otherwise it answers a message naming where and what is wrong, and the
 * builder keeps what it had. Graph problems (a cycle, an unknown queue) do not stop an import:
 * they show in the Problems panel like any other.
 */
import { workflowDefinition } from '../../../../shared/workflows/workflowDefinition.js';
import type { DraftDefinition } from './draftDefinition.js';
import { schemaIssuePath } from '../../../../shared/schemaIssuePath.js';

export type ImportResult = { ok: true; definition: DraftDefinition } | { ok: false; message: string };

/** At most this many schema issues are named in one message. */
const namedIssues = 5;

export function exportDefinitionText(definition: DraftDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}

export function exportFileName(definition: DraftDefinition): string {
  return `${definition.name || 'workflow'}.workflow.json`;
}

export function parseDefinitionText(text: string, source = 'the file'): ImportResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${source} is not JSON: ${error instanceof Error ? error.message : String(error)}. Nothing was imported.` };
  }
  const parsed = workflowDefinition.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const path = schemaIssuePath(issue.path);
      return `${path || 'definition'}: ${issue.message}`;
    });
    const more = issues.length > namedIssues ? ` (and ${issues.length - namedIssues} more)` : '';
    return { ok: false, message: `${source} is not a workflow definition — ${issues.slice(0, namedIssues).join('; ')}${more}. Nothing was imported.` };
  }
  // The written form keeps only what the file said (defaults stay implicit, as authored).
  return { ok: true, definition: value as DraftDefinition };
}
