/**
 * The guard in front of the datastore SQL endpoint: accepts one read-only SELECT over published resources and
 * rewrites its table references to the physical tables, using PostgreSQL's own parser (libpg-query).
 *
 * The tree is checked against allowlists (node types, fields, functions, operators, cast types); anything not
 * recognised is refused. The caller still runs the result in a READ ONLY transaction with a statement timeout,
 * a row cap and `search_path` set to `pg_catalog` so unqualified function names cannot resolve elsewhere.
 */

/**
 * PostgreSQL's parser, loaded on first use: importing it starts compiling its WebAssembly, and a process
 * that exits while that compilation runs (a command-line call failing at once) can hang in Node's exit.
 */
let parser: Promise<typeof import('libpg-query')> | undefined;
function pgParser(): Promise<typeof import('libpg-query')> {
  parser ??= import('libpg-query');
  return parser;
}

async function parse(sqlText: string): Promise<unknown> {
  return (await pgParser()).parse(sqlText);
}

async function scan(sqlText: string) {
  return (await pgParser()).scan(sqlText);
}

export type SqlRefusedCode =
  | 'SQL_TOO_LONG'
  | 'SQL_EMPTY'
  | 'SQL_SYNTAX'
  | 'SQL_MULTIPLE_STATEMENTS'
  | 'SQL_NOT_SELECT'
  | 'SQL_LOCKING_REFUSED'
  | 'SQL_TABLE_REFUSED'
  | 'SQL_FUNCTION_REFUSED'
  | 'SQL_OPERATOR_REFUSED'
  | 'SQL_TYPE_REFUSED'
  | 'SQL_CONSTRUCT_REFUSED'
  | 'SQL_TOO_COMPLEX';

export class SqlRefusedError extends Error {
  readonly code: SqlRefusedCode;
  /** SQL_SYNTAX only: 1-based character position of the error in the query. */
  readonly position: number | undefined;

  constructor(code: SqlRefusedCode, message: string, position?: number) {
    super(message);
    this.name = 'SqlRefusedError';
    this.code = code;
    this.position = position;
  }
}

export interface CheckSelectOptions {
  /** Maps a resource name as written in the query (after identifier case folding) to `schema.table`. */
  resolveTable(name: string): string | undefined;
  /** Longest accepted query, in characters (default 20,000). */
  maxLength?: number;
}

export interface CheckedSelect {
  /** The statement to run: comments and trailing semicolons removed, table references rewritten. */
  sql: string;
  /** Resource names the query reads, in order of first use. */
  tables: string[];
}

export const DEFAULT_MAX_SQL_LENGTH = 20_000;
/** Nesting deeper than this is refused before it can exhaust the stack of the tree walk. */
const MAX_DEPTH = 400;

const ALLOWED_FUNCTIONS = new Set([
  // aggregates
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'string_agg',
  'array_agg',
  'bool_and',
  'bool_or',
  'every',
  'percentile_cont',
  'percentile_disc',
  'mode',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_slope',
  'regr_intercept',
  'regr_r2',
  'regr_count',
  'json_agg',
  'jsonb_agg',
  'json_object_agg',
  'jsonb_object_agg',
  // math
  'abs',
  'round',
  'ceil',
  'ceiling',
  'floor',
  'trunc',
  'sqrt',
  'cbrt',
  'power',
  'ln',
  'log',
  'log10',
  'exp',
  'greatest',
  'least',
  'mod',
  'div',
  'sign',
  'width_bucket',
  'pi',
  'degrees',
  'radians',
  // strings
  'lower',
  'upper',
  'length',
  'char_length',
  'character_length',
  'octet_length',
  'substr',
  'substring',
  'left',
  'right',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'replace',
  'translate',
  'split_part',
  'concat',
  'concat_ws',
  'format',
  'position',
  'strpos',
  'starts_with',
  'initcap',
  'lpad',
  'rpad',
  'reverse',
  'overlay',
  'normalize',
  'regexp_replace',
  'regexp_match',
  'regexp_like',
  'similar_to_escape', // what `x SIMILAR TO y` becomes
  'to_number',
  // dates and times
  'date_trunc',
  'date_part',
  'date_bin',
  'extract',
  'to_char',
  'to_date',
  'to_timestamp',
  'make_date',
  'make_time',
  'make_timestamp',
  'make_interval',
  'justify_days',
  'justify_hours',
  'justify_interval',
  'isfinite',
  'age',
  'now',
  'timezone', // what `x AT TIME ZONE z` becomes
  'overlaps',
  // conditionals (normally syntax, listed for their function spelling)
  'coalesce',
  'nullif',
  // json
  'json_extract_path',
  'json_extract_path_text',
  'jsonb_extract_path',
  'jsonb_extract_path_text',
  'json_array_length',
  'jsonb_array_length',
  'json_typeof',
  'jsonb_typeof',
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
  'to_json',
  'to_jsonb',
  // arrays
  'array_length',
  'array_position',
  'array_to_string',
  'string_to_array',
  'cardinality',
  // set-returning (also usable in FROM)
  'unnest',
  'generate_series',
  'jsonb_array_elements',
  'jsonb_array_elements_text',
  'jsonb_each',
  'jsonb_each_text',
  'jsonb_object_keys',
  'regexp_split_to_table',
  // window functions
  'row_number',
  'rank',
  'dense_rank',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
  'ntile',
  'cume_dist',
  'percent_rank',
]);

const ALLOWED_OPERATORS = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '|/',
  '||/',
  '@',
  '&',
  '|',
  '#',
  '<<',
  '>>',
  '=',
  '<>',
  '<',
  '>',
  '<=',
  '>=',
  '||',
  '~',
  '~*',
  '!~',
  '!~*',
  '~~',
  '~~*',
  '!~~',
  '!~~*',
  '->',
  '->>',
  '#>',
  '#>>',
  '#-',
  '@>',
  '<@',
  '?',
  '?|',
  '?&',
  '&&',
]);

/** The keyword "operators" the grammar puts in BETWEEN expressions. */
const BETWEEN_NAMES = new Set(['BETWEEN', 'NOT BETWEEN', 'BETWEEN SYMMETRIC', 'NOT BETWEEN SYMMETRIC']);

const ALLOWED_TYPES = new Set([
  'int2',
  'int4',
  'int8',
  'smallint',
  'integer',
  'int',
  'bigint',
  'numeric',
  'decimal',
  'float4',
  'float8',
  'real',
  'float',
  'text',
  'varchar',
  'bpchar',
  'char',
  'character',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'bool',
  'boolean',
  'json',
  'jsonb',
  'uuid',
]);

const ALLOWED_VALUE_FUNCTIONS = new Set([
  'SVFOP_CURRENT_DATE',
  'SVFOP_CURRENT_TIME',
  'SVFOP_CURRENT_TIME_N',
  'SVFOP_CURRENT_TIMESTAMP',
  'SVFOP_CURRENT_TIMESTAMP_N',
  'SVFOP_LOCALTIME',
  'SVFOP_LOCALTIME_N',
  'SVFOP_LOCALTIMESTAMP',
  'SVFOP_LOCALTIMESTAMP_N',
]);

const ALLOWED_SUBLINKS = new Set([
  'EXISTS_SUBLINK',
  'ALL_SUBLINK',
  'ANY_SUBLINK',
  'ROWCOMPARE_SUBLINK',
  'EXPR_SUBLINK',
  'ARRAY_SUBLINK',
]);

const LOCKING_CLAUSES: Record<string, string> = {
  LCS_FORKEYSHARE: 'FOR KEY SHARE',
  LCS_FORSHARE: 'FOR SHARE',
  LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
  LCS_FORUPDATE: 'FOR UPDATE',
};

const TABLESAMPLE_METHODS = new Set(['system', 'bernoulli']);

/** Fields that only record where in the text a node was: ignored when two trees are compared. */
const POSITION_FIELDS = new Set([
  'location',
  'stmt_location',
  'stmt_len',
  'list_start',
  'list_end',
  'rexpr_list_start',
  'rexpr_list_end',
]);

type Json = Record<string, unknown>;

/**
 * How a field of an allowed node is checked. `scalar`: a string, number or boolean (flags, enum names,
 * identifiers); `node`/`nodes`: one or a list of wrapped nodes; `names`: a list of String nodes; the rest
 * name the node type the field holds unwrapped.
 */
type FieldKind =
  | 'scalar'
  | 'node'
  | 'nodes'
  | 'names'
  | 'alias'
  | 'typeName'
  | 'windowDef'
  | 'search'
  | 'cycle'
  | 'const';

interface NodeSpec {
  fields: Record<string, FieldKind>;
  /** Extra checks that need the whole node, run before its fields are walked. */
  check?: (body: Json) => void;
}

const SPECS: Record<string, NodeSpec> = {
  ResTarget: { fields: { name: 'scalar', val: 'node', location: 'scalar' } },
  ColumnRef: {
    fields: { fields: 'nodes', location: 'scalar' },
    check: (body) => {
      const fields = list(body.fields);
      // schema.table.column (or longer) would reach tables by a qualified name.
      if (fields.length > 2) {
        const name = fields.map((f) => stringValue(f) ?? '*').join('.');
        throw new SqlRefusedError(
          'SQL_TABLE_REFUSED',
          `Column reference ${name} is qualified with a schema.`,
        );
      }
    },
  },
  A_Star: { fields: {} },
  String: { fields: { sval: 'scalar' } },
  Integer: { fields: { ival: 'scalar' } },
  Float: { fields: { fval: 'scalar' } },
  Boolean: { fields: { boolval: 'scalar' } },
  List: { fields: { items: 'nodes' } },
  A_Const: {
    fields: {
      ival: 'const',
      fval: 'const',
      boolval: 'const',
      sval: 'const',
      bsval: 'const',
      isnull: 'scalar',
      location: 'scalar',
    },
  },
  A_Expr: {
    fields: {
      kind: 'scalar',
      name: 'names',
      lexpr: 'node',
      rexpr: 'node',
      rexpr_list_start: 'scalar',
      rexpr_list_end: 'scalar',
      location: 'scalar',
    },
    check: (body) => {
      const kind = String(body.kind);
      if (kind.startsWith('AEXPR_') && kind.includes('BETWEEN')) {
        const name = list(body.name).map(stringValue).join('.');
        if (!BETWEEN_NAMES.has(name)) refuseOperator(name);
        return;
      }
      checkOperator(body.name);
    },
  },
  BoolExpr: { fields: { boolop: 'scalar', args: 'nodes', location: 'scalar' } },
  NullTest: { fields: { arg: 'node', nulltesttype: 'scalar', argisrow: 'scalar', location: 'scalar' } },
  BooleanTest: { fields: { arg: 'node', booltesttype: 'scalar', location: 'scalar' } },
  CaseExpr: { fields: { arg: 'node', args: 'nodes', defresult: 'node', location: 'scalar' } },
  CaseWhen: { fields: { expr: 'node', result: 'node', location: 'scalar' } },
  CoalesceExpr: { fields: { args: 'nodes', location: 'scalar' } },
  MinMaxExpr: { fields: { op: 'scalar', args: 'nodes', location: 'scalar' } },
  NamedArgExpr: { fields: { arg: 'node', name: 'scalar', argnumber: 'scalar', location: 'scalar' } },
  A_ArrayExpr: {
    fields: { elements: 'nodes', list_start: 'scalar', list_end: 'scalar', location: 'scalar' },
  },
  RowExpr: { fields: { args: 'nodes', row_format: 'scalar', colnames: 'names', location: 'scalar' } },
  A_Indirection: { fields: { arg: 'node', indirection: 'nodes' } },
  A_Indices: { fields: { is_slice: 'scalar', lidx: 'node', uidx: 'node' } },
  CollateClause: { fields: { arg: 'node', collname: 'names', location: 'scalar' } },
  TypeCast: { fields: { arg: 'node', typeName: 'typeName', location: 'scalar' } },
  GroupingSet: { fields: { kind: 'scalar', content: 'nodes', location: 'scalar' } },
  GroupingFunc: { fields: { args: 'nodes', location: 'scalar' } },
  SortBy: {
    fields: {
      node: 'node',
      sortby_dir: 'scalar',
      sortby_nulls: 'scalar',
      useOp: 'names',
      location: 'scalar',
    },
    check: (body) => {
      if (body.useOp !== undefined) checkOperator(body.useOp);
    },
  },
  WindowDef: {
    fields: {
      name: 'scalar',
      refname: 'scalar',
      partitionClause: 'nodes',
      orderClause: 'nodes',
      frameOptions: 'scalar',
      startOffset: 'node',
      endOffset: 'node',
      location: 'scalar',
    },
  },
  SQLValueFunction: {
    fields: { op: 'scalar', typmod: 'scalar', location: 'scalar' },
    check: (body) => {
      const op = String(body.op);
      if (!ALLOWED_VALUE_FUNCTIONS.has(op)) {
        const name = op
          .replace(/^SVFOP_/, '')
          .replace(/_N$/, '')
          .toLowerCase();
        throw new SqlRefusedError('SQL_FUNCTION_REFUSED', `Function ${name} is not allowed.`);
      }
    },
  },
  FuncCall: {
    fields: {
      funcname: 'names',
      args: 'nodes',
      agg_order: 'nodes',
      agg_filter: 'node',
      over: 'windowDef',
      agg_within_group: 'scalar',
      agg_star: 'scalar',
      agg_distinct: 'scalar',
      func_variadic: 'scalar',
      funcformat: 'scalar',
      location: 'scalar',
    },
    check: (body) => checkFunction(body.funcname),
  },
  SubLink: {
    fields: {
      subLinkType: 'scalar',
      testexpr: 'node',
      operName: 'names',
      subselect: 'node',
      location: 'scalar',
    },
    check: (body) => {
      const type = String(body.subLinkType);
      if (!ALLOWED_SUBLINKS.has(type)) refuseConstruct(`subquery of kind ${type}`);
      if (body.operName !== undefined) checkOperator(body.operName);
    },
  },
  JoinExpr: {
    fields: {
      jointype: 'scalar',
      isNatural: 'scalar',
      larg: 'node',
      rarg: 'node',
      usingClause: 'names',
      join_using_alias: 'alias',
      quals: 'node',
      alias: 'alias',
      rtindex: 'scalar',
    },
  },
  RangeSubselect: { fields: { lateral: 'scalar', subquery: 'node', alias: 'alias' } },
  RangeFunction: {
    // No `coldeflist`: the allowed functions all have a known result type.
    fields: {
      lateral: 'scalar',
      ordinality: 'scalar',
      is_rowsfrom: 'scalar',
      functions: 'nodes',
      alias: 'alias',
    },
    check: (body) => {
      // Each item is a two-element List: the call and its column definitions.
      for (const item of list(body.functions)) {
        const items = list(asRecord(asRecord(item).List).items);
        const [call, coldefs, ...rest] = items;
        if (call === undefined || nodeType(call) !== 'FuncCall' || rest.length > 0) {
          refuseConstruct('this kind of function in FROM');
        }
        checkFunction(asRecord(asRecord(call).FuncCall).funcname);
        if (coldefs !== undefined && nodeType(coldefs) !== undefined) {
          refuseConstruct('a column definition list');
        }
      }
    },
  },
  RangeTableSample: {
    fields: { relation: 'node', method: 'names', args: 'nodes', repeatable: 'node', location: 'scalar' },
    check: (body) => {
      const method = list(body.method).map(stringValue).join('.');
      if (!TABLESAMPLE_METHODS.has(method)) {
        throw new SqlRefusedError('SQL_FUNCTION_REFUSED', `TABLESAMPLE method ${method} is not allowed.`);
      }
    },
  },
};

const ALIAS_FIELDS: Record<string, FieldKind> = { aliasname: 'scalar', colnames: 'names' };
const TYPE_NAME_FIELDS: Record<string, FieldKind> = {
  names: 'names',
  typmods: 'nodes',
  typemod: 'scalar',
  arrayBounds: 'nodes',
  location: 'scalar',
};
const SEARCH_FIELDS: Record<string, FieldKind> = {
  search_col_list: 'names',
  search_breadth_first: 'scalar',
  search_seq_column: 'scalar',
  location: 'scalar',
};
const CYCLE_FIELDS: Record<string, FieldKind> = {
  cycle_col_list: 'names',
  cycle_mark_column: 'scalar',
  cycle_mark_value: 'node',
  cycle_mark_default: 'node',
  cycle_path_column: 'scalar',
  location: 'scalar',
};
const SELECT_FIELDS: Record<string, FieldKind> = {
  distinctClause: 'nodes',
  targetList: 'nodes',
  fromClause: 'nodes',
  whereClause: 'node',
  groupClause: 'nodes',
  groupDistinct: 'scalar',
  havingClause: 'node',
  windowClause: 'nodes',
  valuesLists: 'nodes',
  sortClause: 'nodes',
  limitOffset: 'node',
  limitCount: 'node',
  limitOption: 'scalar',
  op: 'scalar',
  all: 'scalar',
};

/** A table reference to rewrite: the RangeVar body and where its name sits in the text. */
interface TableRef {
  body: Json;
  resource: string;
  schema: string | undefined;
  table: string;
}

/** Walks one statement tree, refusing what is not allowed and collecting the table references. */
class Walker {
  readonly refs: TableRef[] = [];
  private readonly resolveTable: (name: string) => string | undefined;
  private depth = 0;

  constructor(resolveTable: (name: string) => string | undefined) {
    this.resolveTable = resolveTable;
  }

  /** A wrapped node (`{ Type: body }`), or `{}` where the tree holds a null. */
  node(value: unknown, ctes: ReadonlySet<string>): void {
    const wrapper = asRecord(value);
    const keys = Object.keys(wrapper);
    if (keys.length === 0) return;
    const type = nodeType(value);
    if (type === undefined) refuseConstruct('an unrecognised part of the query');
    const body = asRecord(wrapper[type]);
    this.enter();
    if (type === 'SelectStmt') this.select(body, ctes);
    else if (type === 'RangeVar') this.rangeVar(body, ctes);
    else {
      const spec = SPECS[type];
      if (spec === undefined) refuseNodeType(type);
      spec.check?.(body);
      this.fields(body, spec.fields, ctes, type);
    }
    this.depth--;
  }

  select(body: Json, outer: ReadonlySet<string>): void {
    if (body.intoClause !== undefined) {
      throw new SqlRefusedError('SQL_NOT_SELECT', 'SELECT INTO creates a table and is not allowed.');
    }
    if (body.lockingClause !== undefined) {
      const strength = String(asRecord(asRecord(list(body.lockingClause)[0]).LockingClause).strength);
      const clause = LOCKING_CLAUSES[strength] ?? 'FOR UPDATE/SHARE';
      throw new SqlRefusedError('SQL_LOCKING_REFUSED', `Locking clause ${clause} is not allowed.`);
    }
    this.enter();
    let ctes = outer;
    if (body.withClause !== undefined) ctes = this.withClause(asRecord(body.withClause), outer);
    this.fields(body, SELECT_FIELDS, ctes, 'SelectStmt', ['withClause', 'larg', 'rarg']);
    // Set operations: both sides see the WITH of the node that joins them.
    for (const side of ['larg', 'rarg'] as const) {
      if (body[side] !== undefined) this.select(asRecord(body[side]), ctes);
    }
    this.depth--;
  }

  /** Returns the CTE names visible to the statement that owns this WITH. */
  private withClause(body: Json, outer: ReadonlySet<string>): ReadonlySet<string> {
    checkKnownFields(body, { ctes: 'nodes', recursive: 'scalar', location: 'scalar' }, 'WITH');
    const recursive = body.recursive === true;
    const defs = list(body.ctes).map((item) => {
      if (nodeType(item) !== 'CommonTableExpr') refuseConstruct('this kind of WITH item');
      return asRecord(asRecord(item).CommonTableExpr);
    });
    const all = new Set(outer);
    if (recursive) for (const def of defs) all.add(String(def.ctename));
    // Without RECURSIVE a CTE sees only the ones before it, as PostgreSQL scopes them; a later name would
    // otherwise resolve to a real table.
    const seen = new Set(outer);
    for (const def of defs) {
      checkKnownFields(
        def,
        {
          ctename: 'scalar',
          aliascolnames: 'names',
          ctematerialized: 'scalar',
          ctequery: 'node',
          search_clause: 'search',
          cycle_clause: 'cycle',
          location: 'scalar',
        },
        'WITH',
      );
      const query = def.ctequery;
      const type = nodeType(query);
      if (type !== 'SelectStmt') {
        const verb = type?.replace(/Stmt$/, '').toUpperCase() ?? 'statement';
        throw new SqlRefusedError(
          'SQL_NOT_SELECT',
          `WITH query ${String(def.ctename)} is a ${verb}; only SELECT is allowed in WITH.`,
        );
      }
      const scope = recursive ? all : seen;
      if (def.aliascolnames !== undefined)
        this.field(def.aliascolnames, 'names', scope, 'WITH', 'aliascolnames');
      if (def.search_clause !== undefined)
        this.field(def.search_clause, 'search', scope, 'WITH', 'search_clause');
      if (def.cycle_clause !== undefined)
        this.field(def.cycle_clause, 'cycle', scope, 'WITH', 'cycle_clause');
      this.select(asRecord(asRecord(query).SelectStmt), scope);
      seen.add(String(def.ctename));
    }
    return recursive ? all : seen;
  }

  private rangeVar(body: Json, ctes: ReadonlySet<string>): void {
    checkKnownFields(
      body,
      {
        catalogname: 'scalar',
        schemaname: 'scalar',
        relname: 'scalar',
        inh: 'scalar',
        relpersistence: 'scalar',
        alias: 'alias',
        location: 'scalar',
      },
      'table reference',
    );
    const name = String(body.relname);
    if (body.schemaname !== undefined || body.catalogname !== undefined) {
      const qualified = [body.catalogname, body.schemaname, name].filter((p) => p !== undefined).join('.');
      throw new SqlRefusedError(
        'SQL_TABLE_REFUSED',
        `Table ${qualified} is not allowed: name a resource without a schema.`,
      );
    }
    if (body.alias !== undefined) this.field(body.alias, 'alias', ctes, 'table reference', 'alias');
    if (ctes.has(name)) return;
    const physical = this.resolveTable(name);
    if (physical === undefined) {
      throw new SqlRefusedError('SQL_TABLE_REFUSED', `Table ${name} is not a resource that can be queried.`);
    }
    const dot = physical.indexOf('.');
    const schema = dot < 0 ? undefined : physical.slice(0, dot);
    const table = dot < 0 ? physical : physical.slice(dot + 1);
    this.refs.push({ body, resource: name, schema, table });
  }

  private fields(
    body: Json,
    spec: Record<string, FieldKind>,
    ctes: ReadonlySet<string>,
    owner: string,
    handledElsewhere: string[] = [],
  ): void {
    for (const [key, value] of Object.entries(body)) {
      if (handledElsewhere.includes(key)) continue;
      const kind = spec[key];
      if (kind === undefined) refuseField(owner, key);
      this.field(value, kind, ctes, owner, key);
    }
  }

  private field(
    value: unknown,
    kind: FieldKind,
    ctes: ReadonlySet<string>,
    owner: string,
    key: string,
  ): void {
    switch (kind) {
      case 'scalar':
        if (!['string', 'number', 'boolean'].includes(typeof value)) refuseField(owner, key);
        return;
      case 'const': {
        // A_Const values: { ival: 1 }, { sval: 'x' }, ... (an empty object for zero/false/empty).
        for (const v of Object.values(asRecord(value))) {
          if (!['string', 'number', 'boolean'].includes(typeof v)) refuseField(owner, key);
        }
        return;
      }
      case 'node':
        this.node(value, ctes);
        return;
      case 'nodes':
        if (!Array.isArray(value)) refuseField(owner, key);
        for (const item of value) this.node(item, ctes);
        return;
      case 'names':
        for (const item of list(value)) {
          if (stringValue(item) === undefined) refuseField(owner, key);
        }
        return;
      case 'alias':
        this.fields(asRecord(value), ALIAS_FIELDS, ctes, 'alias');
        return;
      case 'typeName':
        checkType(asRecord(value));
        this.fields(asRecord(value), TYPE_NAME_FIELDS, ctes, 'type name');
        return;
      case 'windowDef':
        this.enter();
        this.fields(asRecord(value), asSpec('WindowDef').fields, ctes, 'window');
        this.depth--;
        return;
      case 'search':
        this.fields(asRecord(value), SEARCH_FIELDS, ctes, 'SEARCH clause');
        return;
      case 'cycle':
        this.fields(asRecord(value), CYCLE_FIELDS, ctes, 'CYCLE clause');
        return;
    }
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new SqlRefusedError('SQL_TOO_COMPLEX', `The query nests deeper than ${MAX_DEPTH} levels.`);
    }
  }
}

/**
 * Checks that `sqlText` is one read-only SELECT over allowed resources and returns it with every table
 * reference rewritten to its physical table. Throws SqlRefusedError otherwise.
 */
export async function checkSelect(sqlText: string, options: CheckSelectOptions): Promise<CheckedSelect> {
  const maxLength = options.maxLength ?? DEFAULT_MAX_SQL_LENGTH;
  if (sqlText.length > maxLength) {
    throw new SqlRefusedError(
      'SQL_TOO_LONG',
      `The query is ${sqlText.length} characters long; the limit is ${maxLength}.`,
    );
  }
  if (sqlText.trim() === '') throw new SqlRefusedError('SQL_EMPTY', 'The query is empty.');

  const tree = await parseOrRefuse(sqlText);
  const stmts = list(tree.stmts);
  if (stmts.length === 0) throw new SqlRefusedError('SQL_EMPTY', 'The query contains no statement.');
  if (stmts.length > 1) {
    throw new SqlRefusedError(
      'SQL_MULTIPLE_STATEMENTS',
      `The query contains ${stmts.length} statements; send exactly one SELECT.`,
    );
  }
  const stmt = asRecord(asRecord(stmts[0]).stmt);
  const type = nodeType(stmt);
  if (type !== 'SelectStmt') {
    throw new SqlRefusedError('SQL_NOT_SELECT', `Only SELECT is allowed, not ${describeStatement(type)}.`);
  }

  const walker = new Walker(options.resolveTable);
  walker.node(stmt, new Set());

  const sql = await rewrite(sqlText, walker.refs);

  // The rewritten text must parse to exactly the checked tree with the references replaced: the text
  // splice then cannot have changed the meaning of anything else.
  for (const ref of walker.refs) {
    if (ref.body.alias === undefined) ref.body.alias = { aliasname: ref.resource };
    ref.body.relname = ref.table;
    if (ref.schema !== undefined) ref.body.schemaname = ref.schema;
  }
  let reparsed: unknown[];
  try {
    reparsed = list(asRecord(await parse(sql)).stmts);
  } catch {
    reparsed = [];
  }
  if (reparsed.length !== 1 || !sameTree(asRecord(reparsed[0]).stmt, stmt)) {
    refuseConstruct('a table reference written in a form that cannot be rewritten');
  }

  return { sql, tables: [...new Set(walker.refs.map((r) => r.resource))] };
}

async function parseOrRefuse(sqlText: string): Promise<Json> {
  try {
    return asRecord(await parse(sqlText));
  } catch (error) {
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const message = details?.message ?? (error instanceof Error ? error.message : String(error));
    if (details?.cursorPosition === undefined) {
      throw new SqlRefusedError('SQL_SYNTAX', `Syntax error: ${message}.`);
    }
    // cursorPosition counts characters (code points) from 0.
    const before = Array.from(sqlText).slice(0, details.cursorPosition);
    const line = before.filter((c) => c === '\n').length + 1;
    const column = before.length - (before.lastIndexOf('\n') + 1) + 1;
    const position = details.cursorPosition + 1;
    throw new SqlRefusedError(
      'SQL_SYNTAX',
      `Syntax error at character ${position} (line ${line}, column ${column}): ${message}.`,
      position,
    );
  }
}

interface Token {
  start: number;
  end: number;
  text: string;
}

/**
 * Rebuilds the statement from PostgreSQL's own tokens: comments and surrounding semicolons go (so the caller
 * can wrap it in a subquery), the whitespace between tokens keeps its newlines (string-constant continuation
 * depends on them), and each resource name is replaced with its physical table plus an alias.
 */
async function rewrite(sqlText: string, refs: TableRef[]): Promise<string> {
  const bytes = Buffer.from(sqlText, 'utf8');
  const tokens: Token[] = (await scan(sqlText)).tokens
    .filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT')
    .map((t) => ({ start: t.start, end: t.end, text: t.text }));
  let first = 0;
  let last = tokens.length - 1;
  while (first <= last && tokens[first]?.text === ';') first++;
  while (last >= first && tokens[last]?.text === ';') last--;

  const byStart = new Map<number, number>();
  tokens.forEach((t, i) => {
    byStart.set(t.start, i);
  });
  // By token index: the last token the name spans, the text replacing them, and the token the alias follows.
  const replacements = new Map<number, { until: number; text: string; aliasAfter: number; alias: string }>();
  for (const ref of refs) {
    const index = byStart.get(Number(ref.body.location));
    if (index === undefined) refuseConstruct(`the reference to table ${ref.resource}`);
    let until = index;
    // U&"..." UESCAPE '!' spells one identifier over three tokens.
    if (tokens[index + 1]?.text.toUpperCase() === 'UESCAPE') until = index + 2;
    // `name *` (the old spelling of "with descendants") keeps its star before the alias.
    const aliasAfter = tokens[until + 1]?.text === '*' ? until + 1 : until;
    const physical =
      ref.schema === undefined ? quoteIdent(ref.table) : `${quoteIdent(ref.schema)}.${quoteIdent(ref.table)}`;
    // `TABLE name` takes no alias; it means `SELECT * FROM name`, which parses to the same tree.
    const before = tokens[index - 1]?.text.toUpperCase() === 'ONLY' ? index - 2 : index - 1;
    if (tokens[before]?.text.toUpperCase() === 'TABLE') {
      replacements.set(before, { until: before, text: 'SELECT * FROM', aliasAfter: before, alias: '' });
    }
    replacements.set(index, {
      until,
      text: physical,
      aliasAfter,
      alias: ref.body.alias === undefined ? ` AS ${quoteIdent(ref.resource)}` : '',
    });
  }

  let out = '';
  // Aliases that go after a later token (the `*` of `name *`).
  const aliasesAt = new Map<number, string>();
  for (let i = first; i <= last; i++) {
    const token = tokens[i]!;
    if (i > first) {
      const gap = bytes.subarray(tokens[i - 1]!.end, token.start);
      if (gap.length > 0) out += gap.includes(0x0a) || gap.includes(0x0d) ? '\n' : ' ';
    }
    const replacement = replacements.get(i);
    if (replacement === undefined) {
      out += bytes.subarray(token.start, token.end).toString('utf8');
      out += aliasesAt.get(i) ?? '';
      continue;
    }
    out += replacement.text;
    if (replacement.aliasAfter === replacement.until) out += replacement.alias;
    else aliasesAt.set(replacement.aliasAfter, replacement.alias);
    i = replacement.until;
  }
  return out;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function checkFunction(funcname: unknown): void {
  const parts = list(funcname).map((p) => stringValue(p) ?? '?');
  const name = parts.join('.');
  const bare =
    parts.length === 1 ? parts[0] : parts.length === 2 && parts[0] === 'pg_catalog' ? parts[1] : undefined;
  if (bare === undefined || !ALLOWED_FUNCTIONS.has(bare)) {
    throw new SqlRefusedError('SQL_FUNCTION_REFUSED', `Function ${name} is not allowed.`);
  }
}

function checkOperator(names: unknown): void {
  const parts = list(names).map((p) => stringValue(p) ?? '?');
  const bare =
    parts.length === 1 ? parts[0] : parts.length === 2 && parts[0] === 'pg_catalog' ? parts[1] : undefined;
  if (bare === undefined || !ALLOWED_OPERATORS.has(bare)) refuseOperator(parts.join('.'));
}

function refuseOperator(name: string): never {
  throw new SqlRefusedError('SQL_OPERATOR_REFUSED', `Operator ${name} is not allowed.`);
}

function checkType(body: Json): void {
  const parts = list(body.names).map((p) => stringValue(p) ?? '?');
  const name = parts.join('.');
  if (body.setof === true || body.pct_type === true) refuseConstruct(`the type ${name}`);
  const bare =
    parts.length === 1 ? parts[0] : parts.length === 2 && parts[0] === 'pg_catalog' ? parts[1] : undefined;
  if (bare === undefined || !ALLOWED_TYPES.has(bare)) {
    const why = /^(reg|oid$|xid|cid$|tid$)/.test(bare ?? '') ? ': it looks up the system catalogs' : '';
    throw new SqlRefusedError('SQL_TYPE_REFUSED', `Type ${name} is not allowed${why}.`);
  }
}

function checkKnownFields(body: Json, spec: Record<string, FieldKind>, owner: string): void {
  for (const key of Object.keys(body)) if (spec[key] === undefined) refuseField(owner, key);
}

function refuseField(owner: string, key: string): never {
  const what: Record<string, string> = {
    coldeflist: 'a column definition list',
    indirection: 'assignment to a field or subscript',
  };
  refuseConstruct(what[key] ?? `${key} in ${owner}`);
}

function refuseNodeType(type: string): never {
  const readable = type
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  refuseConstruct(`${readable} (${type})`);
}

function refuseConstruct(what: string): never {
  throw new SqlRefusedError('SQL_CONSTRUCT_REFUSED', `The query uses ${what}, which is not allowed.`);
}

function describeStatement(type: string | undefined): string {
  if (type === undefined) return 'this statement';
  const words = type
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
  return `${words} (${type})`;
}

function nodeType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 ? keys[0] : undefined;
}

function stringValue(node: unknown): string | undefined {
  const body = asRecord(node).String;
  if (typeof body !== 'object' || body === null) return undefined;
  const sval = (body as Json).sval;
  // An empty string has no sval in the JSON tree.
  return typeof sval === 'string' ? sval : sval === undefined ? '' : undefined;
}

function asRecord(value: unknown): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    refuseConstruct('an unrecognised part of the query');
  }
  return value as Json;
}

function asSpec(type: string): NodeSpec {
  return SPECS[type]!;
}

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) refuseConstruct('an unrecognised part of the query');
  return value;
}

function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameTree(item, b[i]));
  }
  const ka = Object.keys(a).filter((k) => !POSITION_FIELDS.has(k));
  const kb = Object.keys(b).filter((k) => !POSITION_FIELDS.has(k));
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameTree((a as Json)[k], (b as Json)[k]));
}
