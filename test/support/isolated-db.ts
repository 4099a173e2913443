import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * A PostgreSQL database of one's own, for tests whose assertions cover platform-wide state (bank files,
 * global ledger sums) that other test files would share on the common DATABASE_URL. Returns the URL to
 * use and a function that drops the database. Without DATABASE_URL: undefined (the test uses PGlite).
 */
export async function isolatedPostgres(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const base = process.env.DATABASE_URL;
  if (!base) return undefined;
  const name = `payrail_iso_${randomBytes(5).toString("hex")}`;
  const admin = new URL(base);
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => run(`drop database if exists ${name} with (force)`),
  };
}
