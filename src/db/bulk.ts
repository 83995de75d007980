/**
 * Raw, set-based SQL for the sync engine: one transaction, plain statements, and COPY for
 * moving many rows at once. Both drivers take COPY in Postgres's text format: postgres.js
 * streams it to `COPY ... FROM STDIN`, PGlite reads it from a Blob at '/dev/blob'.
 *
 * Why not Drizzle here: a sync writes hundreds of thousands of rows, and COPY is 3-6x
 * faster than multi-row INSERTs built by an ORM (stack-notes 5.1). Drizzle stays the
 * interface for everything else, inside the transaction too (`db`).
 */
import type { PGlite, Transaction as PgliteTransaction } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pg-proxy";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type postgres from "postgres";
import { collectIfGrown } from "../lib/garbage-guard.ts";
import { type Database, type Db, drizzleOptions } from "./client.ts";

export interface BulkSql {
  /** One statement with $1.. parameters; returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Appends rows to `table (columns)`; values are encoded as COPY text. Returns the row count. */
  copyIn(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<number>;
  /** Drizzle inside this transaction, for the single rows written beside the bulk ones (an audit entry, an email). */
  db: Db;
}

/** Runs one statement in the transaction; `arrays` asks for each row as an array of its values. */
type RunStatement = (text: string, params: unknown[], arrays: boolean) => Promise<unknown[]>;

/**
 * Drizzle's statements, run on the transaction's own connection. Drizzle hands over a json
 * column's value as JSON text, but both drivers serialise a json parameter themselves
 * (postgres.js would store that text as one JSON string), so they get the value back.
 */
function drizzleOn(run: RunStatement): Db {
  return drizzle(async (text, params, method, typings) => {
    const values = params.map((value, index) => (typings?.[index] === "json" && typeof value === "string" ? JSON.parse(value) : value));
    return { rows: await run(text, values, method === "all") };
  }, drizzleOptions) as unknown as Db;
}

/** Runs `work` in one transaction on the database's bulk connection. */
export async function bulkTransaction<T>(database: Database, work: (sql: BulkSql) => Promise<T>): Promise<T> {
  if (database.bulkSql) return postgresTransaction(database.bulkSql, work);
  if (database.pglite) return pgliteTransaction(database.pglite, work);
  throw new Error("bulkTransaction: the database has neither a Postgres nor a PGlite connection");
}

async function postgresTransaction<T>(client: postgres.Sql, work: (sql: BulkSql) => Promise<T>): Promise<T> {
  return (await client.begin(async (tx) => {
    const bulk: BulkSql = {
      db: drizzleOn(async (text, params, arrays) => {
        const statement = tx.unsafe(text, params as never[]);
        return arrays ? await statement.values() : await statement;
      }),
      async query<Row>(text: string, params: unknown[] = []) {
        return (await tx.unsafe(text, params as never[])) as unknown as Row[];
      },
      async copyIn(table, columns, rows) {
        const query = tx.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`);
        const refused = serverRefusal(query);
        const writable = await query.writable();
        // Its errors reach this code through `refused`, `once` and `finished`; an 'error' event
        // nobody listens to (postgres.js destroys the stream on a server error) would end the process.
        writable.on("error", () => {});
        let count = 0;
        try {
          for (const chunk of copyTextChunks(rows, () => count++)) {
            if (!writable.write(chunk)) await Promise.race([once(writable, "drain"), refused]);
          }
          writable.end();
          await Promise.race([finished(writable), refused]);
        } catch (error) {
          // Destroying the stream sends CopyFail: the server leaves COPY mode and the transaction
          // can roll back (rows that threw used to leave the connection in COPY for good).
          writable.destroy(new Error("the rows for this COPY could not be sent"));
          throw error;
        }
        return count;
      },
    };
    return work(bulk);
  })) as T;
}

/**
 * Settles with the server's error on a COPY. postgres.js hands the error to the query even after
 * it resolved the query with the stream, but when the error comes after the last row was sent
 * (a NUL byte, a duplicate key) it never settles the stream: the write waits forever, the
 * transaction never rolls back and the connection stays taken (porsager/postgres#1173).
 */
function serverRefusal(query: object): Promise<never> {
  const handle = query as unknown as { reject(error: unknown): void };
  const refusal = new Promise<never>((_, refuse) => {
    const reject = handle.reject;
    handle.reject = (error: unknown) => {
      refuse(error);
      reject(error);
    };
  });
  // A COPY statement refused outright rejects `writable()` as well, which the caller sees.
  refusal.catch(() => {});
  return refusal;
}

async function pgliteTransaction<T>(instance: PGlite, work: (sql: BulkSql) => Promise<T>): Promise<T> {
  return instance.transaction(async (tx: PgliteTransaction) => {
    const bulk: BulkSql = {
      db: drizzleOn(async (text, params, arrays) => (await tx.query(text, params, arrays ? { rowMode: "array" } : {})).rows),
      async query<Row>(text: string, params: unknown[] = []) {
        return (await tx.query<Row>(text, params)).rows;
      },
      async copyIn(table, columns, rows) {
        let count = 0;
        const chunks = [...copyTextChunks(rows, () => count++)];
        if (count === 0) return 0;
        await tx.query(`copy ${table} (${columns.join(", ")}) from '/dev/blob'`, [], { blob: new Blob(chunks) });
        return count;
      },
    };
    return work(bulk);
  });
}

const CHUNK_CHARS = 1 << 20;

/** COPY text format: tab-separated, \N for null, backslash escapes; yields ~1 MB chunks. */
export function* copyTextChunks(rows: Iterable<readonly unknown[]>, onRow: () => void = () => {}): Generator<string> {
  let chunk = "";
  for (const row of rows) {
    onRow();
    chunk += `${row.map(copyValue).join("\t")}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
      collectIfGrown();
    }
  }
  if (chunk) yield chunk;
}

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "string") return escapeText(value);
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return escapeText(arrayLiteral(value));
  return escapeText(JSON.stringify(value));
}

/** A Postgres array literal of text elements: {"a","b",NULL}. */
function arrayLiteral(values: unknown[]): string {
  const elements = values.map((element) =>
    element === null || element === undefined ? "NULL" : `"${String(element).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`,
  );
  return `{${elements.join(",")}}`;
}

function escapeText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : text;
}
