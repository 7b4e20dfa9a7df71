// The two XLSForm expression columns we support, written and read: `relevant` for a
// question's `visible_if` (README "Questionnaires": equals | in | gt | lt on one earlier
// question) and `constraint` for its min and max. Anything else is refused with a
// reason, never guessed.
//
//   equals    ${q} = 'x'   ${q} = 3   ${q} = true()      multi_choice: selected(${q}, 'x')
//   in        ${q} = 'a' or ${q} = 'b'                   multi_choice: selected(${q}, 'a') or selected(${q}, 'b')
//   gt / lt   ${q} > 5     ${q} < 5
//   min/max   . >= 0 and . <= 100

import type { Question, QuestionType } from '../definition-schema';

export type VisibleIf = NonNullable<Question['visible_if']>;
type Value = string | number | boolean;

export class ExpressionError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'ExpressionError';
  }
}

function literal(value: Value): string {
  if (typeof value === 'boolean') return value ? 'true()' : 'false()';
  if (typeof value === 'number') return String(value);
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

/** `visible_if` as an XLSForm `relevant` expression; the controller's type decides `=` or `selected()`. */
export function writeRelevant(condition: VisibleIf, controllerType: QuestionType | undefined): string {
  const ref = `\${${condition.question}}`;
  if (condition.gt !== undefined) return `${ref} > ${literal(condition.gt)}`;
  if (condition.lt !== undefined) return `${ref} < ${literal(condition.lt)}`;
  const values = condition.in ?? (condition.equals !== undefined ? [condition.equals] : []);
  // A yes/no question is written as select_one with the values yes and no, as other tools know it.
  const asWritten = (v: Value): Value =>
    controllerType === 'boolean' && typeof v === 'boolean' ? (v ? 'yes' : 'no') : v;
  const term = (raw: Value) => {
    const v = asWritten(raw);
    return controllerType === 'multi_choice' && typeof v === 'string'
      ? `selected(${ref}, ${literal(v)})`
      : `${ref} = ${literal(v)}`;
  };
  return values.map(term).join(' or ');
}

/** min/max as an XLSForm `constraint` on the answer itself (`.`). */
export function writeConstraint(min: number | undefined, max: number | undefined): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`. >= ${literal(min)}`);
  if (max !== undefined) parts.push(`. <= ${literal(max)}`);
  return parts.join(' and ');
}

type Token =
  | { t: 'ref'; name: string }
  | { t: 'str'; value: string }
  | { t: 'num'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'word'; value: string }
  | { t: 'op'; value: string }
  | { t: 'punct'; value: '(' | ')' | ',' }
  | { t: 'dot' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = rest.match(/^\s+/);
    if (space) {
      i += space[0].length;
      continue;
    }
    const ref = rest.match(/^\$\{\s*([^}\s]*)\s*\}/);
    if (ref) {
      tokens.push({ t: 'ref', name: ref[1] });
      i += ref[0].length;
      continue;
    }
    if (rest[0] === "'" || rest[0] === '"') {
      const end = rest.indexOf(rest[0], 1);
      if (end < 0) throw new ExpressionError('survey.xlsx.expr_unclosed_string');
      tokens.push({ t: 'str', value: rest.slice(1, end) });
      i += end + 1;
      continue;
    }
    const bool = rest.match(/^(true|false)\s*\(\s*\)/);
    if (bool) {
      tokens.push({ t: 'bool', value: bool[1] === 'true' });
      i += bool[0].length;
      continue;
    }
    const num = rest.match(/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/i);
    if (num) {
      tokens.push({ t: 'num', value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const op = rest.match(/^(>=|<=|!=|=|>|<)/);
    if (op) {
      tokens.push({ t: 'op', value: op[1] });
      i += op[0].length;
      continue;
    }
    const word = rest.match(/^[A-Za-z_][A-Za-z0-9_-]*/);
    if (word) {
      tokens.push({ t: 'word', value: word[0] });
      i += word[0].length;
      continue;
    }
    if (rest[0] === '(' || rest[0] === ')' || rest[0] === ',') {
      tokens.push({ t: 'punct', value: rest[0] });
      i += 1;
      continue;
    }
    if (rest[0] === '.') {
      tokens.push({ t: 'dot' });
      i += 1;
      continue;
    }
    throw new ExpressionError('survey.xlsx.expr_unexpected', { text: rest.slice(0, 20) });
  }
  return tokens;
}

/** Split the tokens at a connective (`or` / `and`); refuses the other one. */
function splitAt(tokens: Token[], connective: 'or' | 'and'): Token[][] {
  const other = connective === 'or' ? 'and' : 'or';
  const parts: Token[][] = [[]];
  for (const token of tokens) {
    if (token.t === 'word' && token.value === connective) parts.push([]);
    else if (token.t === 'word' && token.value === other)
      throw new ExpressionError(connective === 'or' ? 'survey.xlsx.relevant_and' : 'survey.xlsx.constraint_or');
    else parts[parts.length - 1].push(token);
  }
  if (parts.some((p) => p.length === 0)) throw new ExpressionError('survey.xlsx.expr_incomplete');
  return parts;
}

function literalValue(token: Token | undefined): Value {
  if (token?.t === 'str' || token?.t === 'num' || token?.t === 'bool') return token.value;
  throw new ExpressionError('survey.xlsx.expr_value');
}

/** One comparison of a `relevant` expression. */
function relevantTerm(tokens: Token[]): { question: string; op: string; value: Value } {
  const [a, b, c, d, e, f] = tokens;
  if (a?.t === 'word' && a.value === 'selected') {
    if (
      tokens.length === 6 &&
      b.t === 'punct' &&
      b.value === '(' &&
      c.t === 'ref' &&
      d.t === 'punct' &&
      d.value === ',' &&
      f.t === 'punct' &&
      f.value === ')'
    ) {
      return { question: c.name, op: 'selected', value: literalValue(e) };
    }
    throw new ExpressionError('survey.xlsx.relevant_selected');
  }
  if (a?.t === 'ref' && b?.t === 'op' && tokens.length <= 3) {
    if (!['=', '>', '<'].includes(b.value)) throw new ExpressionError('survey.xlsx.relevant_operator', { op: b.value });
    return { question: a.name, op: b.value, value: literalValue(c) };
  }
  throw new ExpressionError('survey.xlsx.relevant_form');
}

/**
 * An XLSForm `relevant` expression as `visible_if`; only the forms of README "Questionnaires".
 * `selected` says whether it was written with selected() (the form for a multi_choice question).
 */
export function readRelevant(text: string): { condition: VisibleIf; selected: boolean } {
  const terms = splitAt(tokenize(text), 'or').map(relevantTerm);
  const question = terms[0].question;
  if (terms.some((t) => t.question !== question)) throw new ExpressionError('survey.xlsx.relevant_one_question');
  if (terms.length === 1 && (terms[0].op === '>' || terms[0].op === '<')) {
    if (typeof terms[0].value !== 'number') throw new ExpressionError('survey.xlsx.relevant_compare_number');
    const condition = terms[0].op === '>' ? { question, gt: terms[0].value } : { question, lt: terms[0].value };
    return { condition, selected: false };
  }
  if (terms.some((t) => t.op === '>' || t.op === '<')) throw new ExpressionError('survey.xlsx.relevant_compare_or');
  if (new Set(terms.map((t) => t.op)).size > 1) throw new ExpressionError('survey.xlsx.relevant_mixed');
  const condition =
    terms.length === 1 ? { question, equals: terms[0].value } : { question, in: terms.map((t) => t.value) };
  return { condition, selected: terms[0].op === 'selected' };
}

/** An XLSForm `constraint` as min and max: `. >= N`, `. <= N`, joined by `and`. */
export function readConstraint(text: string): { min?: number; max?: number } {
  const out: { min?: number; max?: number } = {};
  for (const part of splitAt(tokenize(text), 'and')) {
    const [dot, op, value] = part;
    if (part.length !== 3 || dot.t !== 'dot' || op.t !== 'op' || value.t !== 'num')
      throw new ExpressionError('survey.xlsx.constraint_form');
    if (op.value === '>=' && out.min === undefined) out.min = value.value;
    else if (op.value === '<=' && out.max === undefined) out.max = value.value;
    else throw new ExpressionError('survey.xlsx.constraint_form');
  }
  return out;
}
