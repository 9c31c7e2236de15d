import { readdirSync } from 'node:fs';
import { renderSql } from '../../lambdas/shared/sql-dialect';
import { QUESTION_FILES, QUESTIONS_DIR, questionSql, type QuestionName } from '../../local/report/questions';

const names = Object.keys(QUESTION_FILES) as QuestionName[];

/** Constructs one of Redshift and PostgreSQL rejects or reads differently. */
const NOT_PORTABLE: [RegExp, string][] = [
  [/::/, ':: cast (PostgreSQL only; use CAST)'],
  [/\bFILTER\s*\(/i, 'aggregate FILTER (PostgreSQL only; use CASE)'],
  [/\bgenerate_series\b/i, 'generate_series (leader-node only on Redshift)'],
  [/\bjsonb?\b/i, 'json/jsonb'],
  [/\bDISTINCT\s+ON\b/i, 'DISTINCT ON'],
  [/\bON\s+CONFLICT\b/i, 'ON CONFLICT'],
  [/\bILIKE\b|\bISODOW\b/i, 'dialect-specific keyword'],
  [/\bCOUNT\s*\(\s*DISTINCT[^)]*\)\s*OVER\b/i, 'COUNT(DISTINCT) as a window function (Redshift rejects it)'],
];

function code(name: QuestionName): string {
  return questionSql(name)
    .replace(/--.*$/gm, '')
    .replace(/'[^']*'/g, "''");
}

test('every .sql file in sql/questions is one of the known questions', () => {
  const files = readdirSync(QUESTIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  expect(files).toEqual(Object.values(QUESTION_FILES).sort());
});

test.each(names)('%s opens with a comment saying what it answers', (name) => {
  const lines = questionSql(name).split('\n');
  expect(lines.slice(0, 2).every((line) => line.startsWith('-- '))).toBe(true);
});

test.each(names)('%s is one SELECT with no construct only one of Redshift and PostgreSQL reads', (name) => {
  const sql = code(name);
  expect(sql.trim()).toMatch(/^(WITH|SELECT)\b/i);
  expect(sql.replace(/;\s*$/, '')).not.toContain(';');
  for (const [pattern, why] of NOT_PORTABLE)
    expect({ name, why, found: pattern.test(sql) }).toEqual({ name, why, found: false });
  expect(renderSql(questionSql(name), 'redshift')).toBe(renderSql(questionSql(name), 'postgres'));
});

/** Questions that answer with exactly one row: nothing to order. */
const ONE_ROW: readonly QuestionName[] = ['periodSummary', 'topClickCount'];

test.each(names.filter((n) => !ONE_ROW.includes(n)))('%s orders its rows', (name) => {
  expect(code(name)).toMatch(/ORDER BY [^;]+;\s*$/);
});

test.each(names)(
  '%s averages only values cast to DOUBLE PRECISION (Redshift AVG of an INTEGER truncates)',
  (name) => {
    const sql = code(name);
    const doubleColumns = [...sql.matchAll(/AS DOUBLE PRECISION\)\s+AS\s+(\w+)/gi)].map((m) => m[1]);
    for (const [, argument = ''] of sql.matchAll(/\bAVG\s*\(\s*(CAST\s*\([^)]*\)|\w+)\s*\)/gi)) {
      const isDouble = /AS DOUBLE PRECISION\)$/i.test(argument) || doubleColumns.includes(argument);
      expect({ name, argument, isDouble }).toEqual({ name, argument, isDouble: true });
    }
    const averages = (sql.match(/\bAVG\s*\(/gi) ?? []).length;
    const checked = [...sql.matchAll(/\bAVG\s*\(\s*(CAST\s*\([^)]*\)|\w+)\s*\)/gi)].length;
    expect(checked).toBe(averages);
  },
);
