import { apiErrorCodes } from '../../shared/api/errors.js';
import { findUnstorable } from '../../shared/storableText.js';
import { ApiProblem } from './ApiProblem.js';

/**
 * Refuses a request whose body or query holds U+0000 or a lone surrogate anywhere, naming the
 * field: PostgreSQL, which keeps every record, cannot store either (see shared/storableText.ts).
 */
export function refuseUnstorableText(body: unknown, query: unknown): void {
  const field = findUnstorable(body, 'body') ?? findUnstorable(query, 'query');
  if (field) throw new ApiProblem(400, apiErrorCodes.invalidRequest, `${field} holds a NUL character (U+0000) or half a surrogate pair, which cannot be stored`, field);
}
