/*
 * The TypeScript view of the database (schema.ts) and the migrations must agree, on both databases:
 * a column added to one and not the other would compile and then fail, or be silently dropped, at run time.
 * schema.ts is read with the TypeScript compiler (types do not exist at run time); the migrated schema
 * with Kysely's introspection.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/support/db.js';

interface DeclaredColumn {
  nullable: boolean;
  kind: 'text' | 'number';
}

/** Table name → column name (snake_case, as in the database) → declared type, from the `DB` interface of schema.ts. */
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function declaredSchema(): Map<string, Map<string, DeclaredColumn>> {
  const path = fileURLToPath(new URL('./schema.ts', import.meta.url));
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const db = interfaces.get('DB');
  if (!db) throw new Error('schema.ts has no DB interface');
  const tables = new Map<string, Map<string, DeclaredColumn>>();
  for (const member of db.members) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeReferenceNode(member.type)) continue;
    const tableInterface = interfaces.get(member.type.typeName.getText(source));
    if (!tableInterface) throw new Error(`schema.ts: no interface ${member.type.typeName.getText(source)}`);
    const columns = new Map<string, DeclaredColumn>();
    for (const column of tableInterface.members) {
      if (!ts.isPropertySignature(column) || !column.type) continue;
      const text = column.type.getText(source);
      columns.set(snake(column.name.getText(source)), {
        nullable: /\bnull\b/.test(text),
        kind: /\bnumber\b/.test(text) ? 'number' : 'text',
      });
    }
    tables.set(snake(member.name.getText(source)), columns);
  }
  return tables;
}

/** Kysely's own bookkeeping, and PostgreSQL's monthly partitions of ratings (migration 005). */
const notInSchema = (table: string) =>
  /^kysely/i.test(table) || /^ratings_?(default|y\d{4}m\d{2})$/i.test(table);

const declared = declaredSchema();

describe.each(DIALECTS)('schema.ts agrees with the migrations (%s)', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
  });
  afterAll(() => t.close());

  it('has the same tables, columns, nullability and kinds of value', async () => {
    // Without the CamelCasePlugin, which would rename the introspection query's own result columns.
    // PostgreSQL lists every schema's tables; only this test's own schema counts.
    const migrated = (await t.deps.database.db.withoutPlugins().introspection.getTables()).filter(
      (table) => !notInSchema(table.name) && (t.postgres === undefined || table.schema === t.postgres.schema),
    );
    const problems: string[] = [];
    const migratedNames = new Set(migrated.map((table) => table.name));
    for (const name of declared.keys()) {
      if (!migratedNames.has(name)) problems.push(`${name}: in schema.ts, not created by any migration`);
    }
    for (const table of migrated) {
      const columns = declared.get(table.name);
      if (!columns) {
        problems.push(`${table.name}: created by a migration, missing from schema.ts`);
        continue;
      }
      const seen = new Set<string>();
      for (const column of table.columns) {
        seen.add(column.name);
        const want = columns.get(column.name);
        if (!want) {
          problems.push(`${table.name}.${column.name}: in the database, missing from schema.ts`);
          continue;
        }
        const dataType = column.dataType.toLowerCase();
        const kind = /int|real|numeric|double|float/.test(dataType) ? 'number' : 'text';
        if (kind !== want.kind) {
          problems.push(
            `${table.name}.${column.name}: ${dataType} in the database, ${want.kind} in schema.ts`,
          );
        }
        if (want.nullable && !column.isNullable) {
          problems.push(`${table.name}.${column.name}: NOT NULL in the database, nullable in schema.ts`);
        }
        // SQLite lets a text primary key hold null unless it says NOT NULL (a legacy quirk) and reports
        // it nullable; PostgreSQL reports keys exactly, so this direction is checked there.
        if (dialect === 'postgres' && !want.nullable && column.isNullable) {
          problems.push(`${table.name}.${column.name}: nullable in the database, not in schema.ts`);
        }
      }
      for (const name of columns.keys()) {
        if (!seen.has(name)) problems.push(`${table.name}.${name}: in schema.ts, not in the database`);
      }
    }
    expect(problems).toEqual([]);
  });
});
