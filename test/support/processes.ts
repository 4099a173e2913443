/**
 * Real Payrail processes for multi-process tests: `node bin/payrail.mjs serve --role …` children on one
 * PostgreSQL, started on free ports, waited for, and always killed (SIGTERM, then SIGKILL).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { TEST_VAULT_KEYS, testVaultCipher } from "./vault.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "payrail.mjs");

/** `skip` option for tests that need several processes on one database. */
export const NEEDS_POSTGRES: false | string = process.env.DATABASE_URL
  ? false
  : "needs PostgreSQL (DATABASE_URL): the embedded database cannot be shared between processes";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A port that was free a moment ago: listen on 0, read it, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type Role = "api" | "worker" | "simulators";

export interface PayrailProcess {
  name: string;
  role: Role;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  child: ChildProcess;
  /** Everything the process wrote (stdout and stderr), for failure messages. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has exited (for whatever reason). */
  readonly dead: boolean;
}

/** Every child of this test process, so none survives it even when a test crashes. */
const living = new Set<ChildProcess>();
const killAll = () => {
  for (const child of living) child.kill("SIGKILL");
};
process.once("exit", killAll);
// A test process stopped from outside (runner cancel, Ctrl-C) takes its children with it, then ends
// the way the signal would have ended it.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/** The test's environment without anything that configures Payrail or node:test, then ours. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !name.startsWith("PAYRAIL_") &&
        !name.startsWith("NODE_TEST") &&
        !["PORT", "HOST", "PUBLIC_URL", "LOG_LEVEL", "DATABASE_POOL_SIZE"].includes(name),
    ),
  );
  return {
    ...inherited,
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    DATABASE_POOL_SIZE: "6",
    PAYRAIL_SYNC_SCHEDULE: "200ms,500ms,1s",
    PAYRAIL_WORKER_POLL: "100ms",
    PAYRAIL_CONNECTOR_TIMEOUT: "10s",
    PAYRAIL_VAULT_KEYS: TEST_VAULT_KEYS,
    ...extra,
  };
}

/** Runs a one-shot CLI command (migrate, merchant create) to its end. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    living.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      living.delete(child);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      living.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function migrate(): Promise<void> {
  const result = await runCli(["migrate"]);
  if (result.code !== 0) throw new Error(`payrail migrate failed (${result.code}): ${result.stderr}`);
}

export interface MerchantKeys {
  merchant_id: string;
  secret_key: string;
  publishable_key: string;
  live_secret_key: string;
  live_publishable_key: string;
}

export async function createMerchant(name: string): Promise<MerchantKeys> {
  const result = await runCli(["merchant", "create", "--name", name, "--json"]);
  if (result.code !== 0) throw new Error(`payrail merchant create failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim()) as MerchantKeys;
}

async function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function httpReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, {
      headers: { connection: "close" },
      signal: AbortSignal.timeout(2_000),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * The processes of one test file. `start` waits until the process is ready: `GET /readyz` answers 200
 * (api), the port accepts connections (simulators), or the start-up banner was printed (worker).
 */
export class ProcessGroup {
  readonly processes: PayrailProcess[] = [];

  async start(
    role: Role,
    options: { name?: string; port?: number; env?: Record<string, string>; readyTimeoutMs?: number } = {},
  ): Promise<PayrailProcess> {
    const port = options.port ?? (await freePort());
    const env: Record<string, string> =
      role === "simulators"
        ? { PAYRAIL_SIMULATOR_PORT: String(port), PORT: String(await freePort()) }
        : { PORT: String(port) };
    const child = spawn(process.execPath, [BIN, "serve", "--role", role], {
      cwd: ROOT,
      env: childEnv({ ...env, ...options.env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    living.add(child);
    const output: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    let dead = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("exit", (code, signal) => {
        dead = true;
        living.delete(child);
        resolve({ code, signal });
      });
      child.once("error", (error) => {
        output.push(`spawn error: ${error.message}\n`);
        dead = true;
        living.delete(child);
        resolve({ code: null, signal: null });
      });
    });
    const proc: PayrailProcess = {
      name: options.name ?? `${role}:${port}`,
      role,
      port,
      url: `http://127.0.0.1:${port}`,
      child,
      output,
      exited,
      get dead() {
        return dead;
      },
    };
    this.processes.push(proc);

    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    for (;;) {
      if (proc.dead) throw new Error(`${proc.name} exited during start-up:\n${output.join("")}`);
      const ready =
        role === "api"
          ? await httpReady(proc.url)
          : role === "simulators"
            ? await tcpOpen(port)
            : output.join("").includes("Payrail is running");
      if (ready) return proc;
      if (Date.now() > deadline) {
        await this.stop(proc);
        throw new Error(`${proc.name} was not ready within the deadline:\n${output.join("")}`);
      }
      await sleep(50);
    }
  }

  /** SIGKILL: the process dies at once, mid-request, without any clean-up. */
  async kill9(proc: PayrailProcess): Promise<void> {
    if (!proc.dead) proc.child.kill("SIGKILL");
    await proc.exited;
  }

  /** SIGTERM, then SIGKILL if it has not ended within `graceMs`. */
  async stop(proc: PayrailProcess, graceMs = 4_000): Promise<void> {
    if (proc.dead) return;
    proc.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      proc.exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!ended) {
      proc.child.kill("SIGKILL");
      await proc.exited;
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.processes.map((proc) => this.stop(proc)));
  }

  /** The output of every process, for a failure message. */
  dump(): string {
    return this.processes
      .map((p) => `--- ${p.name}${p.dead ? " (dead)" : ""}\n${p.output.join("")}`)
      .join("\n");
  }
}

export interface ApiAnswer {
  status: number;
  text: string;
  /** The parsed JSON body: of many shapes, checked by the tests. */
  body: any;
  headers: Headers;
}

/** One JSON request to a Payrail API process. */
export async function apiRequest(
  baseUrl: string,
  key: string,
  method: "GET" | "POST",
  path: string,
  options: { body?: unknown; idempotencyKey?: string; timeoutMs?: number } = {},
): Promise<ApiAnswer> {
  // No keep-alive: an idle pooled socket would hold the test process open after the servers are gone.
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, connection: "close" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body, headers: response.headers };
}

/** A small pool on the test database, for looking at this test's own rows. */
export function openPool(): pg.Pool {
  return new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
}

/** The sandbox processor's API key of the merchant's test-mode sandbox account (sealed in the table). */
export async function sandboxApiKey(pool: pg.Pool, merchantId: string): Promise<string> {
  const result = await pool.query<{ id: string; sealed_secrets: string | null }>(
    `select id, sealed_secrets from connector_accounts
     where merchant_id = $1 and connector = 'sandbox' and livemode = false order by created_at limit 1`,
    [merchantId],
  );
  const row = result.rows[0];
  const key = row?.sealed_secrets
    ? (
        JSON.parse(
          (await testVaultCipher().open(row.sealed_secrets, { merchantId, recordId: row.id })).toString(),
        ) as {
          api_key?: string;
        }
      ).api_key
    : undefined;
  if (!key) throw new Error(`merchant ${merchantId} has no sandbox connector account`);
  return key;
}

export interface ProviderCharge {
  id: string;
  reference: string;
  status: string;
  amount: number;
  currency: string;
  amount_captured: number;
  capture: boolean;
}

/** What the sandbox processor (in its own process) holds for one of our references. */
export async function providerCharges(
  simulatorUrl: string,
  apiKey: string,
  reference: string,
): Promise<ProviderCharge[]> {
  const response = await fetch(`${simulatorUrl}/v1/charges?reference=${encodeURIComponent(reference)}`, {
    headers: { authorization: `Bearer ${apiKey}`, connection: "close" },
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status !== 200)
    throw new Error(`simulator answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { data: ProviderCharge[] };
  return body.data;
}

/** Polls until `check` returns a value, or fails after `timeoutMs` naming `what`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export const cardData = (number: string) => ({
  type: "card",
  card: { number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: "123" },
});

/**
 * Points the merchant's sandbox account at this test's simulator. The processes get the same URL from
 * PAYRAIL_SANDBOX_URL; pinning it on the account as well keeps the test right when other Payrail
 * workers (other test runs on the same database, with simulators of their own) sync our payments.
 */
export async function pinSandboxUrl(pool: pg.Pool, merchantId: string, simulatorUrl: string): Promise<void> {
  await pool.query(
    `update connector_accounts set config = config || jsonb_build_object('base_url', $2::text)
     where merchant_id = $1 and connector = 'sandbox'`,
    [merchantId, simulatorUrl],
  );
}

/** Counts `select count(*) as n …` rows. */
export async function countRows(pool: pg.Pool, sqlText: string, params: unknown[]): Promise<number> {
  const result = await pool.query<{ n: string }>(sqlText, params);
  return Number(result.rows[0]?.n);
}

/** `200 succeeded ×1, 409 idempotency_key_in_use ×49`: a short tally of answers for diagnostics. */
export function tally(answers: ApiAnswer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const label = `${a.status} ${a.body?.error?.code ?? a.body?.status ?? ""}`.trim();
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => `${label} ×${n}`).join(", ");
}
