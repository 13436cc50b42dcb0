/**
 * Why an expression was refused: at parse time (syntax, a forbidden name, a size bound) or while
 * evaluating (a type mismatch, a bound on work). `position` is the offset in the source where the
 * problem was found, when there is one.
 */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(position === undefined ? message : `${message} (at character ${position + 1})`);
    this.name = 'ExpressionError';
  }
}
