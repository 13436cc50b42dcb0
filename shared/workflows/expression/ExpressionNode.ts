/** The syntax tree `parseExpression` builds and `evaluateExpression` walks. */
import type { JsonValue } from './JsonValue.js';

export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/' | '%';

export type ExpressionNode =
  | { kind: 'literal'; value: JsonValue }
  | { kind: 'name'; name: string; position: number }
  | { kind: 'member'; object: ExpressionNode; property: string; position: number }
  | { kind: 'index'; object: ExpressionNode; index: ExpressionNode; position: number }
  | { kind: 'unary'; operator: '!' | '-'; operand: ExpressionNode; position: number }
  | { kind: 'binary'; operator: BinaryOperator; left: ExpressionNode; right: ExpressionNode; position: number }
  | { kind: 'conditional'; test: ExpressionNode; consequent: ExpressionNode; alternate: ExpressionNode }
  | { kind: 'call'; callee: string; arguments: ExpressionNode[]; position: number }
  | { kind: 'array'; elements: ExpressionNode[] };
