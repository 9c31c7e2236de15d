/**
 * One place that knows how a file in `sql/` becomes text for Redshift or for PostgreSQL.
 *
 * The files are valid PostgreSQL as written. Dialect-only clauses sit in comments named for their
 * dialect, `/*redshift: DISTKEY (user_id) *\/` or `/*postgres: WITH (FORMAT csv) *\/`; rendering
 * uncomments the ones for the target dialect and drops the others, together with every other
 * comment, blank line and the trailing semicolon. Parameters are `:name` in both dialects (the
 * Redshift Data API binds them by name); PostgreSQL drivers take `$1..$n`, see {@link toPositional}.
 *
 * The lexer knows '...' strings ('' escapes), "..." identifiers, -- and /* *\/ comments and `::`
 * casts. It does not know E'...' strings or dollar quoting: the shared SQL does not use them.
 */
import { WarehouseStatementFailed } from './errors';

export type SqlDialect = 'redshift' | 'postgres';

type Token =
  | { readonly kind: 'code' | 'string' | 'identifier' | 'comment' | 'cast'; readonly text: string }
  | { readonly kind: 'param'; readonly text: string; readonly name: string };

const PARAM_NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const DIALECT_COMMENT = /^\/\*\s*(redshift|postgres):([\s\S]*)\*\/$/;

function closing(text: string, from: number, quote: string): number {
  let i = from;
  for (;;) {
    const end = text.indexOf(quote, i);
    if (end < 0)
      throw new WarehouseStatementFailed(`unterminated ${quote} in SQL: ${text.slice(from - 1, from + 40)}`);
    if (text[end + 1] !== quote) return end + 1;
    i = end + 2; // doubled quote: an escaped quote inside the literal
  }
}

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let code = '';
  const push = (token: Token): void => {
    if (code) tokens.push({ kind: 'code', text: code });
    code = '';
    tokens.push(token);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === "'" || c === '"') {
      const end = closing(text, i + 1, c);
      push({ kind: c === "'" ? 'string' : 'identifier', text: text.slice(i, end) });
      i = end;
    } else if (c === '-' && next === '-') {
      const newline = text.indexOf('\n', i);
      const end = newline < 0 ? text.length : newline;
      push({ kind: 'comment', text: text.slice(i, end) });
      i = end;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0)
        throw new WarehouseStatementFailed(`unterminated /* comment in SQL: ${text.slice(i, i + 40)}`);
      push({ kind: 'comment', text: text.slice(i, end + 2) });
      i = end + 2;
    } else if (c === ':' && next === ':') {
      push({ kind: 'cast', text: '::' });
      i += 2;
    } else if (c === ':') {
      PARAM_NAME.lastIndex = i + 1;
      const match = PARAM_NAME.exec(text);
      if (match) {
        push({ kind: 'param', text: `:${match[0]}`, name: match[0] });
        i += 1 + match[0].length;
      } else {
        code += c;
        i += 1;
      }
    } else {
      code += c;
      i += 1;
    }
  }
  if (code) tokens.push({ kind: 'code', text: code });
  return tokens;
}

function tidy(code: string): string {
  return code.replace(/[ \t]+(?=\r?\n)/g, '').replace(/\r?\n(\s*\r?\n)+/g, '\n');
}

/**
 * Renders a `sql/` file for a dialect: dialect comments resolved, other comments and blank lines
 * dropped, no trailing semicolon. String literals and quoted identifiers are kept verbatim.
 */
export function renderSql(text: string, dialect: SqlDialect): string {
  let resolved = '';
  for (const token of lex(text)) {
    const match = token.kind === 'comment' ? DIALECT_COMMENT.exec(token.text) : null;
    if (!match) resolved += token.text;
    else if (match[1] === dialect)
      resolved += `${/(^|\s)$/.test(resolved) ? '' : ' '}${(match[2] as string).trim()} `;
  }
  const pieces: { code: boolean; text: string }[] = [];
  for (const token of lex(resolved)) {
    if (token.kind === 'comment') continue;
    const code = token.kind !== 'string' && token.kind !== 'identifier';
    const last = pieces[pieces.length - 1];
    if (code && last?.code) last.text += token.text;
    else pieces.push({ code, text: token.text });
  }
  const rendered = pieces.map((piece) => (piece.code ? tidy(piece.text) : piece.text)).join('');
  return rendered.trim().replace(/\s*;$/, '').trim();
}

/** The `:name` parameters a statement uses, in order of first use. */
function parameterNames(sql: string): string[] {
  const names = new Set<string>();
  for (const token of lex(sql)) if (token.kind === 'param') names.add(token.name);
  return [...names];
}

/**
 * Translates `:name` parameters to PostgreSQL's `$1..$n` (numbered in order of first use; a name
 * used twice keeps its number) and returns the values in that order. `::casts` and string literals
 * are left alone. A name missing from `parameters` is an error, as it is on the Data API.
 */
export function toPositional(
  sql: string,
  parameters: Readonly<Record<string, string>>,
): { readonly text: string; readonly values: string[] } {
  const numbers = new Map<string, number>();
  const values: string[] = [];
  const text = lex(sql)
    .map((token) => {
      if (token.kind !== 'param') return token.text;
      let n = numbers.get(token.name);
      if (n === undefined) {
        const value = parameters[token.name];
        if (value === undefined)
          throw new WarehouseStatementFailed(`SQL uses :${token.name}, which has no value`);
        values.push(value);
        n = values.length;
        numbers.set(token.name, n);
      }
      return `$${n}`;
    })
    .join('');
  return { text, values };
}

const DATA_API_PARAMETER_NAME = /^[0-9A-Za-z_]+$/;

/**
 * Checks a batch's shared parameters the way the Redshift Data API does, so the local warehouse
 * rejects what Redshift would: every statement's `:name` has a value, every value is used by at
 * least one statement, names are `[0-9A-Za-z_]+`, and no value is empty.
 */
export function checkBatchParameters(
  sqls: readonly string[],
  parameters: Readonly<Record<string, string>>,
): void {
  const used = new Set(sqls.flatMap(parameterNames));
  for (const name of used) {
    if (!(name in parameters)) throw new WarehouseStatementFailed(`SQL uses :${name}, which has no value`);
  }
  for (const [name, value] of Object.entries(parameters)) {
    if (!DATA_API_PARAMETER_NAME.test(name))
      throw new WarehouseStatementFailed(`invalid parameter name ${name}`);
    if (!used.has(name))
      throw new WarehouseStatementFailed(`parameter :${name} is not used by any statement`);
    if (value === '')
      throw new WarehouseStatementFailed(`parameter :${name} is empty (the Data API rejects empty values)`);
  }
}

/**
 * Quotes a value as a SQL string literal for both dialects (quotes doubled). Backslashes and control
 * characters are refused rather than escaped: their meaning in a literal differs between dialects.
 */
export function quoteLiteral(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) {
    throw new WarehouseStatementFailed(
      `refusing to quote a value with a backslash or control character: ${JSON.stringify(value)}`,
    );
  }
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Replaces the string literal `'<placeholder>'` (exactly one occurrence) with `replacement`, raw SQL
 * text: a literal made with {@link quoteLiteral}, or a keyword such as `STDIN`. This is how values
 * that cannot be parameters (a COPY source) get into a statement.
 */
export function substituteLiteral(sql: string, placeholder: string, replacement: string): string {
  const target = quoteLiteral(placeholder);
  let found = 0;
  const text = lex(sql)
    .map((token) => {
      if (token.kind !== 'string' || token.text !== target) return token.text;
      found += 1;
      return replacement;
    })
    .join('');
  if (found !== 1)
    throw new WarehouseStatementFailed(`expected ${target} once in the SQL, found it ${found} times`);
  return text;
}

/** Whether the SQL contains the string literal `'<placeholder>'`. */
export function hasLiteral(sql: string, placeholder: string): boolean {
  const target = quoteLiteral(placeholder);
  return lex(sql).some((token) => token.kind === 'string' && token.text === target);
}
