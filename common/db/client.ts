// Opens the database for Node and Deno (libsql file or remote libsql/Turso URL).
// Workers use @libsql/client/web with the same schema (edge/adapter/worker).
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema.ts";

export type Db = LibSQLDatabase<typeof schema>;
export { schema };

export interface DbHandle {
  db: Db;
  client: Client;
  close(): void;
}

export function wrapClient(client: Client): Db {
  return drizzle(client, { schema });
}

export function openDatabase(url: string, authToken?: string): DbHandle {
  const client = createClient(authToken ? { url, authToken } : { url });
  return { db: wrapClient(client), client, close: () => client.close() };
}
