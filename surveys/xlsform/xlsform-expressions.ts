// The two XLSForm expression columns we support, written and read: `relevant` for a
// question's `visible_if` (README "Questionnaires") and `constraint` for its min and max.
// Anything else is refused with a reason and the position where reading stopped, never guessed.
//
//   comparisons  ${q} = 'x'  ${q} != 'x'  ${q} > 5  ${q} >= 5  ${q} < 5  ${q} <= 5  ${q} = true()
//                selected(${q}, 'x')  (for a select_multiple question)
//   joined by    and, or, not(…), parentheses (and binds closer than or)
//   min/max      . >= 0 and . <= 100

import {
  CHOICE_TYPES,
  type Condition,
  type ConditionLeaf,
  isLeaf,
  NUMERIC_TYPES,
  type QuestionType,
} from '../definition-schema';

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

/**
 * `visible_if` as an XLSForm `relevant` expression; each controller's type decides `=` or
 * `selected()`. Every and/or inside another part is put in parentheses, so reading it back
 * gives the same tree.
 */
export function writeRelevant(condition: Condition, typeOf: (key: string) => QuestionType | undefined): string {
  const leaf = (c: ConditionLeaf): string => {
    const ref = `\${${c.question}}`;
    const type = typeOf(c.question);
    // A yes/no question is written as select_one with the values yes and no, as other tools know it.
    const asWritten = (v: Value): Value => (type === 'boolean' && typeof v === 'boolean' ? (v ? 'yes' : 'no') : v);
    const term = (raw: Value, op = '=') => {
      const v = asWritten(raw);
      if (type === 'multi_choice' && typeof v === 'string')
        return op === '=' ? `selected(${ref}, ${literal(v)})` : `not(selected(${ref}, ${literal(v)}))`;
      return `${ref} ${op} ${literal(v)}`;
    };
    if (c.in !== undefined) return c.in.map((v) => term(v)).join(' or ');
    if (c.equals !== undefined) return term(c.equals);
    if (c.not_equals !== undefined) return term(c.not_equals, '!=');
    if (c.gt !== undefined) return `${ref} > ${literal(c.gt)}`;
    if (c.lt !== undefined) return `${ref} < ${literal(c.lt)}`;
    if (c.gte !== undefined) return `${ref} >= ${literal(c.gte)}`;
    return `${ref} <= ${literal(c.lte!)}`;
  };
  const walk = (c: Condition, nested: boolean): string => {
    if (isLeaf(c)) {
      const text = leaf(c);
      return nested && c.in !== undefined && c.in.length > 1 ? `(${text})` : text;
    }
    if ('not' in c) return `not(${walk(c.not, false)})`;
    const text = ('all' in c ? c.all : c.any).map((part) => walk(part, true)).join('all' in c ? ' and ' : ' or ');
    return nested ? `(${text})` : text;
  };
  return walk(condition, false);
}

/** min/max as an XLSForm `constraint` on the answer itself (`.`). */
export function writeConstraint(min: number | undefined, max: number | undefined): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`. >= ${literal(min)}`);
  if (max !== undefined) parts.push(`. <= ${literal(max)}`);
  return parts.join(' and ');
}

type Token = (
  | { t: 'ref'; name: string }
  | { t: 'str'; value: string }
  | { t: 'num'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'word'; value: string }
  | { t: 'op'; value: string }
  | { t: 'punct'; value: '(' | ')' | ',' }
  | { t: 'dot' }
) & { pos: number };

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
      tokens.push({ t: 'ref', name: ref[1], pos: i + 1 });
      i += ref[0].length;
      continue;
    }
    if (rest[0] === "'" || rest[0] === '"') {
      const end = rest.indexOf(rest[0], 1);
      if (end < 0) throw new ExpressionError('survey.xlsx.expr_unclosed_string', { position: i + 1 });
      tokens.push({ t: 'str', value: rest.slice(1, end), pos: i + 1 });
      i += end + 1;
      continue;
    }
    const bool = rest.match(/^(true|false)\s*\(\s*\)/);
    if (bool) {
      tokens.push({ t: 'bool', value: bool[1] === 'true', pos: i + 1 });
      i += bool[0].length;
      continue;
    }
    const num = rest.match(/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/i);
    if (num) {
      tokens.push({ t: 'num', value: Number(num[0]), pos: i + 1 });
      i += num[0].length;
      continue;
    }
    const op = rest.match(/^(>=|<=|!=|=|>|<)/);
    if (op) {
      tokens.push({ t: 'op', value: op[1], pos: i + 1 });
      i += op[0].length;
      continue;
    }
    const word = rest.match(/^[A-Za-z_][A-Za-z0-9_-]*/);
    if (word) {
      tokens.push({ t: 'word', value: word[0], pos: i + 1 });
      i += word[0].length;
      continue;
    }
    if (rest[0] === '(' || rest[0] === ')' || rest[0] === ',') {
      tokens.push({ t: 'punct', value: rest[0], pos: i + 1 });
      i += 1;
      continue;
    }
    if (rest[0] === '.') {
      tokens.push({ t: 'dot', pos: i + 1 });
      i += 1;
      continue;
    }
    throw new ExpressionError('survey.xlsx.expr_unexpected', { text: rest.slice(0, 20), position: i + 1 });
  }
  return tokens;
}

/** Split the tokens at a connective (`or` / `and`); refuses the other one. */
function splitAt(tokens: Token[], connective: 'or' | 'and'): Token[][] {
  const other = connective === 'or' ? 'and' : 'or';
  const parts: Token[][] = [[]];
  for (const token of tokens) {
    if (token.t === 'word' && token.value === connective) parts.push([]);
    else if (token.t === 'word' && token.value === other) throw new ExpressionError('survey.xlsx.constraint_or');
    else parts[parts.length - 1].push(token);
  }
  if (parts.some((p) => p.length === 0)) throw new ExpressionError('survey.xlsx.expr_incomplete');
  return parts;
}

/** A value typed in a relevant expression, made to fit its question: 'yes' for a yes/no question is true. */
function fitValue(v: Value, type: QuestionType | undefined): Value {
  if (type === 'boolean' && typeof v === 'string') {
    const l = v.toLowerCase();
    if (['yes', 'ja', 'true', '1'].includes(l)) return true;
    if (['no', 'nee', 'false', '0'].includes(l)) return false;
  }
  if (type && NUMERIC_TYPES.includes(type) && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()))
    return Number(v);
  return v;
}

const COMPARISON: Record<string, keyof ConditionLeaf> = {
  '=': 'equals',
  '!=': 'not_equals',
  '>': 'gt',
  '<': 'lt',
  '>=': 'gte',
  '<=': 'lte',
};

/**
 * An XLSForm `relevant` expression as `visible_if`. `typeOf` gives the type of an earlier
 * question (undefined for an unknown or later one: the definition's checks name it then).
 * Errors carry `position`, the character where reading stopped (1 = the first).
 */
export function readRelevant(
  text: string,
  typeOf: (key: string) => QuestionType | undefined = () => undefined,
): Condition {
  return new RelevantParser(text, typeOf).parse();
}

/**
 * The grammar of `relevant`, by recursive descent:
 *   or := and ('or' and)*;  and := unary ('and' unary)*;
 *   unary := 'not' '(' or ')' | '(' or ')' | comparison;
 *   comparison := 'selected' '(' ref ',' value ')' | ref op value.
 */
class RelevantParser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly typeOf: (key: string) => QuestionType | undefined,
  ) {
    this.tokens = tokenize(text);
  }

  parse(): Condition {
    if (this.tokens.length === 0) throw new ExpressionError('survey.xlsx.expr_incomplete', { position: 1 });
    const condition = this.or();
    if (this.i < this.tokens.length) throw new ExpressionError('survey.xlsx.expr_trailing', this.at());
    return condition;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private at() {
    return { position: this.tokens[this.i]?.pos ?? this.text.length + 1 };
  }

  private isWord(token: Token | undefined, w: string) {
    return token?.t === 'word' && token.value.toLowerCase() === w;
  }

  private isPunct(token: Token | undefined, p: string) {
    return token?.t === 'punct' && token.value === p;
  }

  private expect(p: '(' | ')' | ',') {
    if (!this.isPunct(this.peek(), p))
      throw new ExpressionError(this.peek() ? 'survey.xlsx.expr_expected' : 'survey.xlsx.expr_incomplete', {
        ...this.at(),
        expected: p,
      });
    this.i++;
  }

  private value(type: QuestionType | undefined): Value {
    const token = this.peek();
    if (token?.t === 'str' || token?.t === 'num' || token?.t === 'bool') {
      this.i++;
      return fitValue(token.value, type);
    }
    throw new ExpressionError('survey.xlsx.expr_value', this.at());
  }

  /** `selected(${q}, 'value')`, after the word `selected`. */
  private selected(): Condition {
    this.i++;
    this.expect('(');
    const ref = this.peek();
    if (ref?.t !== 'ref') throw new ExpressionError('survey.xlsx.relevant_selected', this.at());
    this.i++;
    this.expect(',');
    const type = this.typeOf(ref.name);
    if (type && !CHOICE_TYPES.includes(type))
      throw new ExpressionError('survey.xlsx.relevant_selected_not_choice', { question: ref.name, position: ref.pos });
    const v = this.value(type);
    this.expect(')');
    return { question: ref.name, equals: v };
  }

  private comparison(): Condition {
    const token = this.peek();
    if (this.isWord(token, 'selected')) return this.selected();
    if (token?.t === 'word')
      throw new ExpressionError('survey.xlsx.relevant_function', { name: token.value, position: token.pos });
    if (token?.t !== 'ref')
      throw new ExpressionError(token ? 'survey.xlsx.relevant_form' : 'survey.xlsx.expr_incomplete', this.at());
    this.i++;
    const op = this.peek();
    if (op?.t !== 'op')
      throw new ExpressionError(
        op ? 'survey.xlsx.relevant_operator_missing' : 'survey.xlsx.expr_incomplete',
        this.at(),
      );
    this.i++;
    const type = this.typeOf(token.name);
    const kind = COMPARISON[op.value];
    if (type === 'multi_choice')
      throw new ExpressionError('survey.xlsx.relevant_use_selected', { question: token.name, position: token.pos });
    const valueAt = this.at();
    const v = this.value(type);
    if ((kind === 'gt' || kind === 'lt' || kind === 'gte' || kind === 'lte') && typeof v !== 'number')
      throw new ExpressionError('survey.xlsx.relevant_compare_number', { ...valueAt, op: op.value });
    return { question: token.name, [kind]: v };
  }

  private unary(): Condition {
    if (this.isWord(this.peek(), 'not')) {
      this.i++;
      this.expect('(');
      const inner = this.or();
      this.expect(')');
      return { not: inner };
    }
    if (this.isPunct(this.peek(), '(')) {
      this.i++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private joined(kind: 'all' | 'any', word: string, part: () => Condition): Condition {
    const parts = [part()];
    while (this.isWord(this.peek(), word)) {
      this.i++;
      parts.push(part());
    }
    if (parts.length === 1) return parts[0];
    if (kind === 'all') return { all: parts };
    // `${q} = 'a' or ${q} = 'b'`: one question, several values (`in`).
    const leaves = parts.filter(isLeaf);
    if (
      leaves.length === parts.length &&
      leaves.every((l) => l.question === leaves[0].question && (l.equals !== undefined || l.in !== undefined))
    )
      return { question: leaves[0].question, in: leaves.flatMap((l) => l.in ?? [l.equals!]) };
    return { any: parts };
  }

  private and(): Condition {
    return this.joined('all', 'and', () => this.unary());
  }

  private or(): Condition {
    return this.joined('any', 'or', () => this.and());
  }
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
