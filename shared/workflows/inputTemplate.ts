/**
 * Input templates: the JSON a workflow node hands its task, with expressions inside strings.
 *
 *   { "customer": "{{ input.customerId }}", "greeting": "Hello {{ upper(input.name) }}!" }
 *
 * A string that is exactly one `{{ … }}` becomes the expression's value, of whatever JSON type
 * (a list stays a list); a string with text around its expressions becomes a string, each value
 * written as it is if a string and as JSON otherwise. Object keys are never templated.
 */
import { ExpressionError } from './expression/ExpressionError.js';
import type { ExpressionNode } from './expression/ExpressionNode.js';
import { evaluateExpression, type ExpressionScope } from './expression/evaluateExpression.js';
import type { JsonValue } from './expression/JsonValue.js';
import { parseExpression } from './expression/parseExpression.js';

/** One `{{ … }}` of a template string, the expression's source in group 1 (global: use with `replace`/`matchAll`). */
export const placeholder = /\{\{([\s\S]*?)\}\}/g;
const wholePlaceholder = /^\{\{([\s\S]*?)\}\}$/;

/** One expression of a template and where it sits, e.g. `$.customer` or `$.lines[2].sku`. */
export interface TemplateExpression {
  path: string;
  source: string;
}

/** Every expression in `template`, in document order. */
export function templateExpressions(template: JsonValue, path = '$'): TemplateExpression[] {
  if (typeof template === 'string') return [...template.matchAll(placeholder)].map((match) => ({ path, source: match[1]!.trim() }));
  if (Array.isArray(template)) return template.flatMap((item, at) => templateExpressions(item, `${path}[${at}]`));
  if (template !== null && typeof template === 'object') return Object.entries(template).flatMap(([key, value]) => templateExpressions(value, `${path}.${key}`));
  return [];
}

/** Parses each expression once; `renderTemplate` and the validator share the cache per call. */
function parsed(source: string, cache: Map<string, ExpressionNode>): ExpressionNode {
  let tree = cache.get(source);
  if (!tree) {
    tree = parseExpression(source);
    cache.set(source, tree);
  }
  return tree;
}

/** The template with every expression replaced by its value in `scope`. Throws `ExpressionError` naming the path. */
export function renderTemplate(template: JsonValue, scope: ExpressionScope, cache = new Map<string, ExpressionNode>(), path = '$'): JsonValue {
  if (typeof template === 'string') {
    const evaluate = (source: string) => {
      try {
        return evaluateExpression(parsed(source.trim(), cache), scope);
      } catch (error) {
        if (error instanceof ExpressionError) throw new ExpressionError(`${path}: ${error.message}`);
        throw error;
      }
    };
    const whole = wholePlaceholder.exec(template);
    if (whole && !whole[1]!.includes('{{')) return evaluate(whole[1]!);
    return template.replace(placeholder, (_, source: string) => {
      const value = evaluate(source);
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
  }
  if (Array.isArray(template)) return template.map((item, at) => renderTemplate(item, scope, cache, `${path}[${at}]`));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, renderTemplate(value, scope, cache, `${path}.${key}`)]));
  }
  return template;
}
