/**
 * Rewrites what expressions read of renamed nodes — `nodes.fetch.output` becomes
 * `nodes.load.output` when `fetch` is renamed `load` — in a condition, a map's `over`, or every
 * `{{ … }}` of an input template. Only the node id is replaced, where the tokenizer found it
 * (`nodes.<id>` or `nodes['<id>']`), so everything else keeps its spelling and spacing. An
 * expression that does not tokenize is left as written: the validator reports it either way.
 * The builder uses it when a node is renamed and when pasted nodes get fresh ids.
 */
import { ExpressionError } from './expression/ExpressionError.js';
import type { JsonValue } from './expression/JsonValue.js';
import { tokenize } from './expression/tokenize.js';
import { placeholder } from './inputTemplate.js';

/** `renames`: old id → new id. */
export function renameInExpression(source: string, renames: ReadonlyMap<string, string>): string {
  let tokens;
  try {
    tokens = tokenize(source);
  } catch (error) {
    if (error instanceof ExpressionError) return source;
    throw error;
  }
  const replacements: Array<{ at: number; length: number; text: string }> = [];
  for (let index = 0; index + 2 < tokens.length; index++) {
    const [head, joint, target] = [tokens[index]!, tokens[index + 1]!, tokens[index + 2]!];
    if (head.kind !== 'name' || head.value !== 'nodes' || joint.kind !== 'symbol') continue;
    const renamed = typeof target.value === 'string' ? renames.get(target.value) : undefined;
    if (renamed === undefined) continue;
    if (joint.value === '.' && target.kind === 'name') replacements.push({ at: target.position, length: target.value.length, text: renamed });
    // Ids hold no characters that need escaping, so the literal is its quote, the id, its quote.
    if (joint.value === '[' && target.kind === 'string' && source.slice(target.position + 1, target.position + 1 + target.value.length) === target.value) {
      replacements.push({ at: target.position + 1, length: target.value.length, text: renamed });
    }
  }
  let result = source;
  for (const { at, length, text } of replacements.reverse()) result = result.slice(0, at) + text + result.slice(at + length);
  return result;
}

/** The template with the expressions of each string rewritten; the same value when nothing changed. */
export function renameInTemplate(template: JsonValue, renames: ReadonlyMap<string, string>): JsonValue {
  if (typeof template === 'string') return template.replace(placeholder, (_, source: string) => `{{${renameInExpression(source, renames)}}}`);
  if (Array.isArray(template)) {
    const items = template.map((item) => renameInTemplate(item, renames));
    return items.every((item, at) => item === template[at]) ? template : items;
  }
  if (template !== null && typeof template === 'object') {
    const entries = Object.entries(template).map(([key, value]) => [key, renameInTemplate(value, renames)] as const);
    return entries.every(([key, value]) => value === template[key]) ? template : Object.fromEntries(entries);
  }
  return template;
}

/** A node with the reads of its input template and (a map's) `over` rewritten; the same node when nothing changed. */
export function renameInNode<T extends object>(node: T, renames: ReadonlyMap<string, string>): T {
  const settings = node as { input?: unknown; over?: unknown };
  const input = settings.input === undefined ? undefined : renameInTemplate(settings.input as JsonValue, renames);
  const over = typeof settings.over === 'string' ? renameInExpression(settings.over, renames) : settings.over;
  return input === settings.input && over === settings.over ? node : { ...node, ...(input === undefined ? {} : { input }), ...(over === undefined ? {} : { over }) };
}

/** An edge with its condition's reads rewritten; the same edge when nothing changed. */
export function renameInEdge<T extends { when?: string }>(edge: T, renames: ReadonlyMap<string, string>): T {
  if (edge.when === undefined) return edge;
  const when = renameInExpression(edge.when, renames);
  return when === edge.when ? edge : { ...edge, when };
}
