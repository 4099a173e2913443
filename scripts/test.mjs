#!/usr/bin/env node
// Runs every *.test.ts under src/, simulators/, web/, examples/ and test/ with node:test through tsx. Node 20's test
// runner has no glob support, so the files are listed here. Extra arguments narrow the set by substring.
// The timeout is per test file (each runs in its own process): the money simulation runs about ten minutes
// at its CI count on PostgreSQL.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildWeb } from "./build-web.mjs";

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ["src", "simulators", "web", "examples", "test"]
  .flatMap(find)
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
// The checkout page and the SDK are served from their Vite build; browser and page tests need it.
await buildWeb({ quiet: true });
const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=1", "--test-timeout=1200000", ...files],
  { stdio: "inherit" },
);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
