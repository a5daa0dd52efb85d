/**
 * Batches of rows bound as a constant number of parameters, built from one column list so that
 * no statement counts parameter positions by hand: PostgreSQL takes one array per column
 * (`unnest`), SQLite one JSON array of rows (`json_each`).
 */

/** One column of a batch: its name, its PostgreSQL element type, and its value in a row. */
export interface BatchColumn<Row> {
  readonly name: string;
  readonly pgType: 'varchar' | 'int' | 'text';
  readonly value: (row: Row) => unknown;
}

/** `unnest($from::type[], …) AS alias(name, …)`: the batch as a PostgreSQL table, from parameter $from on. */
export function unnestBatch<Row>(columns: readonly BatchColumn<Row>[], from: number, alias: string): string {
  const arrays = columns.map((column, i) => `$${from + i}::${column.pgType}[]`).join(', ');
  return `unnest(${arrays}) AS ${alias}(${columns.map((column) => column.name).join(', ')})`;
}

/** `SELECT value ->> '$[0]' AS name, … FROM json_each(?)`: the batch as a SQLite table, `key` its row order. */
export function jsonEachBatch<Row>(columns: readonly BatchColumn<Row>[]): string {
  const fields = columns.map((column, i) => `value ->> '$[${i}]' AS ${column.name}`).join(', ');
  return `SELECT ${fields}, key AS row_order FROM json_each(?)`;
}

/** The parameters of `unnestBatch`: one array per column. */
export function batchArrays<Row>(columns: readonly BatchColumn<Row>[], rows: readonly Row[]): unknown[][] {
  return columns.map((column) => rows.map((row) => column.value(row)));
}

/** The parameter of `jsonEachBatch`: the rows as one JSON array of arrays. */
export function batchJson<Row>(columns: readonly BatchColumn<Row>[], rows: readonly Row[]): string {
  return JSON.stringify(rows.map((row) => columns.map((column) => column.value(row))));
}

/** The column names, comma-separated, in list order. */
export function columnNames<Row>(columns: readonly BatchColumn<Row>[]): string {
  return columns.map((column) => column.name).join(', ');
}
