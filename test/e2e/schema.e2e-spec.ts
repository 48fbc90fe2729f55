import { DataSource } from 'typeorm';
import { TestApp, serverMode, startApp } from '../support/harness';

/** TypeORM column types → what information_schema reports for them. */
const UDT: Record<string, string> = {
  uuid: 'uuid',
  text: 'text',
  char: 'bpchar',
  character: 'bpchar',
  boolean: 'bool',
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  numeric: 'numeric',
  'double precision': 'float8',
  timestamptz: 'timestamptz',
  date: 'date',
  jsonb: 'jsonb',
};

describe(`schema (${serverMode().database})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  it('the entities and the migrations agree: same tables, columns, types, nullability and primary keys', async () => {
    const ds = t.app.get(DataSource);
    // pg_catalog, not information_schema: the latter shows only what the current login may use, and the
    // app's login holds no rights of its own (ADR 0010)
    const columns: { table_name: string; column_name: string; udt_name: string; is_nullable: string }[] =
      await ds.query(
        `SELECT c.relname AS table_name, a.attname AS column_name, t.typname AS udt_name,
              CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
      );
    const pks: { table_name: string; column_name: string }[] = await ds.query(
      `SELECT c.relname AS table_name, a.attname AS column_name
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
        WHERE c.relnamespace = 'public'::regnamespace AND i.indisprimary`,
    );
    const drift: string[] = [];
    const mapped = new Set<string>();
    for (const meta of ds.entityMetadatas) {
      const table = meta.tableName;
      mapped.add(table);
      const dbColumns = columns.filter((c) => c.table_name === table);
      if (!dbColumns.length) {
        drift.push(`${table}: entity ${meta.name} has no table (missing migration?)`);
        continue;
      }
      for (const col of meta.columns) {
        const db = dbColumns.find((c) => c.column_name === col.databaseName);
        if (!db) {
          drift.push(`${table}.${col.databaseName}: in entity ${meta.name}, not in the database`);
          continue;
        }
        const type = String(
          typeof col.type === 'string' ? col.type : ((col.type as { name?: string }).name ?? col.type),
        ).toLowerCase();
        const expected = (col.isArray ? '_' : '') + (UDT[type] ?? type);
        if (db.udt_name !== expected)
          drift.push(`${table}.${col.databaseName}: entity type ${expected}, database ${db.udt_name}`);
        const nullable = db.is_nullable === 'YES';
        if (nullable !== col.isNullable && !col.isPrimary)
          drift.push(
            `${table}.${col.databaseName}: entity nullable=${col.isNullable}, database nullable=${nullable}`,
          );
      }
      for (const db of dbColumns) {
        if (!meta.columns.some((c) => c.databaseName === db.column_name))
          drift.push(`${table}.${db.column_name}: in the database, not in entity ${meta.name}`);
      }
      const entityPk = meta.primaryColumns.map((c) => c.databaseName).sort();
      const dbPk = pks
        .filter((p) => p.table_name === table)
        .map((p) => p.column_name)
        .sort();
      if (entityPk.join(',') !== dbPk.join(','))
        drift.push(`${table}: primary key entity (${entityPk}) vs database (${dbPk})`);
    }
    const tables = new Set(columns.map((c) => c.table_name));
    for (const table of tables)
      if (!mapped.has(table) && table !== 'migrations') drift.push(`${table}: a table with no entity`);
    expect(drift).toEqual([]);
  });

  it('every tenant table (all but the global *_registry tables) leads its primary key with tenant_id and has row-level security on', async () => {
    const ds = t.app.get(DataSource);
    const tenantTables: { table_name: string }[] = await ds.query(
      `SELECT DISTINCT c.relname AS table_name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attname = 'tenant_id' AND NOT a.attisdropped`,
    );
    // Global registry tables (`*_registry`) hold a tenant_id as data for cross-organisation uniqueness checks; they are not tenant tables.
    tenantTables.splice(
      0,
      tenantTables.length,
      ...tenantTables.filter((t) => !t.table_name.endsWith('_registry')),
    );
    expect(tenantTables.length).toBeGreaterThan(8);
    const rls: { relname: string; relrowsecurity: boolean }[] = await ds.query(
      `SELECT relname, relrowsecurity FROM pg_class WHERE relname = ANY($1) AND relkind IN ('r', 'p')`,
      [tenantTables.map((x) => x.table_name)],
    );
    const problems: string[] = [];
    for (const { table_name } of tenantTables) {
      if (!rls.find((r) => r.relname === table_name)?.relrowsecurity)
        problems.push(`${table_name}: row-level security is off`);
      const first: { attname: string }[] = await ds.query(
        `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
          WHERE i.indrelid = $1::regclass AND i.indisprimary`,
        [table_name],
      );
      if (first[0]?.attname !== 'tenant_id')
        problems.push(`${table_name}: primary key starts with ${first[0]?.attname}`);
    }
    expect(problems).toEqual([]);
  });
});
