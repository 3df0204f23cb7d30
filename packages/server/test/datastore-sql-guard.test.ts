import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { checkSelect, SqlRefusedError } from '../src/modules/datastore/datastore.sql-guard.ts';

const PHYSICAL: Record<string, string> = {
  'bus-lines': 'datastore.r_ab12_v3',
  stops: 'datastore.r_cd34_v1',
  x: 'datastore.r_x_v1',
};
const options = { resolveTable: (name: string) => PHYSICAL[name] };

async function refusal(sql: string, maxLength?: number): Promise<SqlRefusedError> {
  try {
    await checkSelect(sql, maxLength === undefined ? options : { ...options, maxLength });
  } catch (error) {
    expect(error).toBeInstanceOf(SqlRefusedError);
    return error as SqlRefusedError;
  }
  throw new Error(`accepted: ${sql}`);
}

/** The caller wraps the result; it must still parse as one SELECT. */
async function expectWrappable(sql: string): Promise<void> {
  const tree = await parse(`SELECT * FROM (${sql}) AS q LIMIT 10`);
  expect(tree.stmts).toHaveLength(1);
}

describe('checkSelect accepts read-only SELECTs over allowed resources', () => {
  it('rewrites a resource to its physical table and keeps its name as the alias', async () => {
    const result = await checkSelect('SELECT "线路名称" FROM "bus-lines"', options);
    expect(result).toEqual({
      sql: 'SELECT "线路名称" FROM "datastore"."r_ab12_v3" AS "bus-lines"',
      tables: ['bus-lines'],
    });
  });

  it('keeps an existing alias and lets columns be qualified by resource name', async () => {
    const result = await checkSelect(
      'SELECT b."线路名称", stops.name FROM "bus-lines" b JOIN stops ON stops.line_id = b.id',
      options,
    );
    expect(result.sql).toBe(
      'SELECT b."线路名称", stops.name FROM "datastore"."r_ab12_v3" b ' +
        'JOIN "datastore"."r_cd34_v1" AS "stops" ON stops.line_id = b.id',
    );
    expect(result.tables).toEqual(['bus-lines', 'stops']);
    await expectWrappable(result.sql);
  });

  it('accepts GROUP BY with aggregates', async () => {
    const result = await checkSelect(
      `SELECT district, count(*) AS n, avg(length_km), sum(stops) FILTER (WHERE night),
              string_agg(DISTINCT name, ', ' ORDER BY name), percentile_cont(0.5) WITHIN GROUP (ORDER BY length_km)
         FROM "bus-lines" GROUP BY district HAVING count(*) > 2 ORDER BY n DESC NULLS LAST LIMIT 10`,
      options,
    );
    expect(result.tables).toEqual(['bus-lines']);
    expect(result.sql).toContain('FROM "datastore"."r_ab12_v3" AS "bus-lines" GROUP BY');
  });

  it('accepts CTEs, and a CTE name is not taken for a resource', async () => {
    const result = await checkSelect(
      `WITH busy AS (SELECT line_id, count(*) AS c FROM stops GROUP BY line_id),
            top AS (SELECT * FROM busy WHERE c > 10)
       SELECT l.name, top.c FROM top JOIN "bus-lines" l ON l.id = top.line_id`,
      options,
    );
    expect(result.tables).toEqual(['stops', 'bus-lines']);
    expect(result.sql).toContain('FROM busy WHERE');
    expect(result.sql).toContain('FROM top JOIN "datastore"."r_ab12_v3" l');
  });

  it('accepts a recursive CTE', async () => {
    const result = await checkSelect(
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT * FROM n',
      options,
    );
    expect(result.tables).toEqual([]);
  });

  it('accepts window functions, named windows and frames', async () => {
    const result = await checkSelect(
      `SELECT name, row_number() OVER w, rank() OVER (PARTITION BY district ORDER BY length_km DESC),
              lag(length_km) OVER w, sum(length_km) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
         FROM "bus-lines" WINDOW w AS (ORDER BY id)`,
      options,
    );
    expect(result.tables).toEqual(['bus-lines']);
  });

  it('accepts subqueries, set operations, VALUES, casts, CASE and date functions', async () => {
    const sql = `
      SELECT id, CASE WHEN night THEN 'night' ELSE coalesce(kind, 'day') END,
             date_trunc('month', opened::timestamp), extract(year FROM opened), to_char(opened, 'YYYY-MM'),
             lower(name) COLLATE "C", data->>'operator', now() - interval '1 day', current_date
        FROM "bus-lines"
       WHERE id IN (SELECT line_id FROM stops WHERE name ILIKE '%站%')
         AND EXISTS (SELECT 1 FROM x WHERE x.id = "bus-lines".id)
      UNION ALL
      SELECT * FROM (VALUES (1, 'a', now()::date, 1, 'b', now(), 'c', now(), current_date)) AS v
      ORDER BY 1`;
    const result = await checkSelect(sql, options);
    expect(result.tables).toEqual(['bus-lines', 'stops', 'x']);
    await expectWrappable(result.sql);
  });

  it('accepts unnest and generate_series in FROM', async () => {
    const result = await checkSelect(
      'SELECT g, u FROM generate_series(1, 3) g, unnest(ARRAY[1, 2]) WITH ORDINALITY AS u(v, n)',
      options,
    );
    expect(result.tables).toEqual([]);
  });

  it('folds unquoted names as PostgreSQL does before resolving them', async () => {
    const seen: string[] = [];
    await checkSelect('SELECT * FROM Stops', {
      resolveTable: (name) => {
        seen.push(name);
        return PHYSICAL[name];
      },
    });
    expect(seen).toEqual(['stops']);
  });

  it('drops comments and semicolons so the result can be wrapped', async () => {
    const result = await checkSelect('SELECT id /* note */ FROM stops -- trailing comment\n;', options);
    expect(result.sql).toBe('SELECT id FROM "datastore"."r_cd34_v1" AS "stops"');
    await expectWrappable(result.sql);
  });

  it('rewrites TABLE name into an equivalent SELECT', async () => {
    const result = await checkSelect('TABLE stops', options);
    expect(result.sql).toBe('SELECT * FROM "datastore"."r_cd34_v1" AS "stops"');
  });

  it('accepts TABLESAMPLE with the built-in methods', async () => {
    const result = await checkSelect(
      'SELECT * FROM stops TABLESAMPLE BERNOULLI (10) REPEATABLE (1)',
      options,
    );
    expect(result.sql).toBe(
      'SELECT * FROM "datastore"."r_cd34_v1" AS "stops" TABLESAMPLE BERNOULLI (10) REPEATABLE (1)',
    );
  });
});

describe('checkSelect refuses everything else', () => {
  const cases: [string, string][] = [
    ['DROP TABLE x', 'SQL_NOT_SELECT'],
    ['SELECT 1; DROP TABLE x', 'SQL_MULTIPLE_STATEMENTS'],
    ['SELECT pg_sleep(10)', 'SQL_FUNCTION_REFUSED'],
    ["SELECT pg_read_file('/etc/passwd')", 'SQL_FUNCTION_REFUSED'],
    ["SELECT * FROM dblink('host=evil', 'SELECT 1') AS t(a int)", 'SQL_FUNCTION_REFUSED'],
    ["COPY x TO '/tmp/x'", 'SQL_NOT_SELECT'],
    ['INSERT INTO "bus-lines" VALUES (1)', 'SQL_NOT_SELECT'],
    ['WITH d AS (DELETE FROM "bus-lines" RETURNING *) SELECT * FROM d', 'SQL_NOT_SELECT'],
    ['SELECT * FROM pg_catalog.pg_class', 'SQL_TABLE_REFUSED'],
    ['SELECT * FROM pg_class', 'SQL_TABLE_REFUSED'],
    ['SELECT * FROM information_schema.tables', 'SQL_TABLE_REFUSED'],
    ['SELECT * FROM other_resource_not_allowed', 'SQL_TABLE_REFUSED'],
    ['SELECT * FROM public.users', 'SQL_TABLE_REFUSED'],
    ["SELECT 'pg_class'::regclass", 'SQL_TYPE_REFUSED'],
    ['SELECT * FROM "bus-lines" FOR UPDATE', 'SQL_LOCKING_REFUSED'],
    ['SELECT * INTO newtable FROM "bus-lines"', 'SQL_NOT_SELECT'],
    ["SELECT set_config('statement_timeout', '0', false)", 'SQL_FUNCTION_REFUSED'],
    ["SELECT current_setting('search_path')", 'SQL_FUNCTION_REFUSED'],
    ['SELECT txid_current()', 'SQL_FUNCTION_REFUSED'],
    ["SELECT lo_import('/etc/passwd')", 'SQL_FUNCTION_REFUSED'],
    ['SELECT pg_catalog.pg_sleep(1)', 'SQL_FUNCTION_REFUSED'],
    ['SELECT public.lower(name) FROM stops', 'SQL_FUNCTION_REFUSED'],
    ['SELECT md5(name) FROM stops', 'SQL_FUNCTION_REFUSED'],
    ['SELECT current_user', 'SQL_FUNCTION_REFUSED'],
    ['SELECT 1::oid', 'SQL_TYPE_REFUSED'],
    ["SELECT 'public'::regnamespace", 'SQL_TYPE_REFUSED'],
    ['SELECT 1 FROM stops WHERE id OPERATOR(public.=) 1', 'SQL_OPERATOR_REFUSED'],
    ['SELECT stops.public.name FROM stops', 'SQL_TABLE_REFUSED'],
    ['SELECT $1', 'SQL_CONSTRUCT_REFUSED'],
    ['SELECT xmlparse(document $$<a/>$$)', 'SQL_CONSTRUCT_REFUSED'],
    ['EXPLAIN SELECT 1', 'SQL_NOT_SELECT'],
    ['SET statement_timeout = 0', 'SQL_NOT_SELECT'],
    ['CALL p()', 'SQL_NOT_SELECT'],
    ['DO $$ BEGIN END $$', 'SQL_NOT_SELECT'],
    ['LISTEN channel', 'SQL_NOT_SELECT'],
    ['SELECT 1 FROM stops FOR SHARE', 'SQL_LOCKING_REFUSED'],
    ['SELECT (SELECT 1 FROM stops FOR UPDATE)', 'SQL_LOCKING_REFUSED'],
    ['SELECT * FROM stops TABLESAMPLE system_rows (5)', 'SQL_FUNCTION_REFUSED'],
    ['   ', 'SQL_EMPTY'],
    [';', 'SQL_EMPTY'],
  ];
  it.each(cases)('%s → %s', async (sql, code) => {
    expect((await refusal(sql)).code).toBe(code);
  });

  it('names the offending item in the message', async () => {
    expect((await refusal('SELECT pg_sleep(10)')).message).toContain('pg_sleep');
    expect((await refusal('SELECT * FROM public.users')).message).toContain('public.users');
    expect((await refusal('SELECT * FROM other_resource_not_allowed')).message).toContain(
      'other_resource_not_allowed',
    );
    expect((await refusal("SELECT 'pg_class'::regclass")).message).toContain('regclass');
    expect((await refusal('SELECT * FROM "bus-lines" FOR UPDATE')).message).toContain('FOR UPDATE');
    expect((await refusal('DROP TABLE x')).message).toContain('DROP');
  });

  it('reports the position of a syntax error in characters', async () => {
    const error = await refusal('SELECT "线路名称"\nFRM "bus-lines"');
    expect(error.code).toBe('SQL_SYNTAX');
    // `"bus-lines"` starts at character 19, line 2, column 5.
    expect(error.position).toBe(19);
    expect(error.message).toContain('line 2, column 5');
    expect(error.message).toContain('"bus-lines"');
  });

  it('refuses a query longer than maxLength before parsing it', async () => {
    const error = await refusal(`SELECT ${'1 + '.repeat(10)}1`, 20);
    expect(error.code).toBe('SQL_TOO_LONG');
    expect((await refusal(`SELECT '${'a'.repeat(20_001)}'`)).code).toBe('SQL_TOO_LONG');
  });

  it('scopes CTE names as PostgreSQL does: a later sibling does not hide a real table', async () => {
    // Without RECURSIVE, `a` cannot see `pg_class`, so PostgreSQL would read the catalog table.
    const error = await refusal('WITH a AS (SELECT * FROM pg_class), pg_class AS (SELECT 1) SELECT * FROM a');
    expect(error.code).toBe('SQL_TABLE_REFUSED');
    // A CTE inside a subquery is not visible outside it.
    const outside = await refusal(
      'SELECT (SELECT 1 FROM pg_class) FROM (WITH pg_class AS (SELECT 1) SELECT 1) s',
    );
    expect(outside.code).toBe('SQL_TABLE_REFUSED');
  });

  it('refuses data-modifying CTEs nested in subqueries', async () => {
    const error = await refusal(
      'SELECT * FROM (WITH d AS (UPDATE stops SET name = 1 RETURNING *) SELECT * FROM d) s',
    );
    expect(error.code).toBe('SQL_NOT_SELECT');
  });

  it('refuses nesting deep enough to threaten the stack', async () => {
    // A left-deep chain of 1,000 additions.
    const error = await refusal(`SELECT ${'1 + '.repeat(1_000)}1`);
    expect(error.code).toBe('SQL_TOO_COMPLEX');
    await expect(checkSelect(`SELECT ${'1 + '.repeat(100)}1`, options)).resolves.toBeDefined();
  });
});
