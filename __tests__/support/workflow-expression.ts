import { Lexer, Parser } from '@actions/expressions';
import {
  Binary,
  FunctionCall,
  Grouping,
  IndexAccess,
  Logical,
  Unary,
  type Expr
} from '@actions/expressions/ast';

/** The functions that read the job's status, as the runner offers them. */
export const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'];

/** Parses a workflow expression that may name `contexts`. */
export function parseExpression(
  source: string,
  contexts: readonly string[]
): Expr {
  return new Parser(
    new Lexer(source).lex().tokens,
    [...contexts],
    STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }))
  ).parse();
}

/** The expressions directly inside `expr`, to walk the whole tree. */
export function childrenOf(expr: Expr): Expr[] {
  if (expr instanceof Unary) return [expr.expr];
  if (expr instanceof Binary) return [expr.left, expr.right];
  if (expr instanceof Logical) return expr.args;
  if (expr instanceof Grouping) return [expr.group];
  if (expr instanceof IndexAccess) return [expr.expr, expr.index];
  if (expr instanceof FunctionCall) return expr.args;
  return [];
}
