import { WarehouseStatementFailed } from '../../lambdas/shared/errors';
import {
  checkBatchParameters,
  hasLiteral,
  quoteLiteral,
  renderSql,
  substituteLiteral,
  toPositional,
} from '../../lambdas/shared/sql-dialect';

const table = `-- why: a comment line
CREATE TABLE IF NOT EXISTS t (
  day DATE NOT NULL -- trailing comment

)
/*redshift: DISTSTYLE ALL SORTKEY (day) */
/*postgres: WITH (fillfactor = 90) */;
`;

describe('renderSql', () => {
  test('uncomments Redshift clauses for Redshift and drops the PostgreSQL ones', () => {
    expect(renderSql(table, 'redshift')).toBe(
      'CREATE TABLE IF NOT EXISTS t (\n  day DATE NOT NULL\n)\nDISTSTYLE ALL SORTKEY (day)',
    );
  });

  test('uncomments PostgreSQL clauses for PostgreSQL and drops the Redshift ones', () => {
    expect(renderSql(table, 'postgres')).toBe(
      'CREATE TABLE IF NOT EXISTS t (\n  day DATE NOT NULL\n)\nWITH (fillfactor = 90)',
    );
  });

  test('keeps string literals and quoted identifiers verbatim, comment markers and blank lines included', () => {
    const sql = `SELECT '-- not a comment\n\n/*redshift: no*/' AS "a  -- b", 'it''s' FROM t; -- gone`;
    expect(renderSql(sql, 'redshift')).toBe(
      `SELECT '-- not a comment\n\n/*redshift: no*/' AS "a  -- b", 'it''s' FROM t`,
    );
  });

  test('rejects an unterminated string literal', () => {
    expect(() => renderSql(`SELECT 'oops`, 'postgres')).toThrow(WarehouseStatementFailed);
  });
});

describe(':name parameters', () => {
  test('are found in code only, ignoring ::casts, literals and comments', () => {
    const sql = `SELECT :b, :a::text, ':c', :b -- :d\nFROM t WHERE x = CAST(:e AS DATE)`;
    const used = { a: '1', b: '2', e: '3' };
    expect(() => checkBatchParameters([sql], used)).not.toThrow();
    expect(() => checkBatchParameters([sql], { ...used, c: '4' })).toThrow(/:c is not used/);
    expect(() => checkBatchParameters([sql], { ...used, d: '4' })).toThrow(/:d is not used/);
    expect(() => checkBatchParameters([sql], { ...used, text: '4' })).toThrow(/:text is not used/);
    expect(() => checkBatchParameters([sql], { a: '1', b: '2' })).toThrow(/:e, which has no value/);
  });

  test('become $n for PostgreSQL, a repeated name keeping its number', () => {
    const { text, values } = toPositional(`SELECT CAST(:day AS DATE), :n::int, ':day', CAST(:day AS DATE)`, {
      day: '2021-07-02',
      n: '3',
    });
    expect(text).toBe(`SELECT CAST($1 AS DATE), $2::int, ':day', CAST($1 AS DATE)`);
    expect(values).toEqual(['2021-07-02', '3']);
  });

  test('without a value are an error, as on the Data API', () => {
    expect(() => toPositional('SELECT :missing', {})).toThrow(/:missing/);
  });

  test('of a batch must each be used, named [0-9A-Za-z_] and non-empty', () => {
    expect(() => checkBatchParameters(['SELECT :a', 'SELECT :b'], { a: '1', b: '2' })).not.toThrow();
    expect(() => checkBatchParameters(['SELECT :a'], { a: '1', b: '2' })).toThrow(/:b is not used/);
    expect(() => checkBatchParameters(['SELECT :a'], { a: '' })).toThrow(/:a is empty/);
    expect(() => checkBatchParameters(['SELECT :a'], {})).toThrow(/:a, which has no value/);
  });
});

describe('literals that cannot be parameters', () => {
  test('are quoted with doubled quotes', () => {
    expect(quoteLiteral("s3://b/it's.manifest")).toBe("'s3://b/it''s.manifest'");
  });

  test('with a backslash or a control character are refused', () => {
    expect(() => quoteLiteral('a\\b')).toThrow(WarehouseStatementFailed);
    expect(() => quoteLiteral('a\nb')).toThrow(WarehouseStatementFailed);
  });

  test('replace exactly one placeholder literal, not its mention in a comment', () => {
    const sql = `-- '{{uri}}' is replaced\nCOPY t FROM '{{uri}}'`;
    expect(hasLiteral(sql, '{{uri}}')).toBe(true);
    expect(substituteLiteral(sql, '{{uri}}', "'s3://b/k'")).toBe(
      `-- '{{uri}}' is replaced\nCOPY t FROM 's3://b/k'`,
    );
    expect(() => substituteLiteral('COPY t FROM STDIN', '{{uri}}', 'x')).toThrow(/found it 0 times/);
  });
});

test('an uncommented clause is separated from the code it follows on the same line', () => {
  expect(renderSql(`COPY t FROM 'x'/*redshift:MANIFEST*/;`, 'redshift')).toBe(`COPY t FROM 'x' MANIFEST`);
});
