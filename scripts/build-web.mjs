#!/usr/bin/env node
// Builds the browser code with Vite: the checkout page (web/checkout → dist/checkout, with a manifest the
// server reads for file names and integrity hashes) and Payrail.js (web/sdk → dist/sdk, a classic script
// and an ES module). Skips the work when nothing under web/ changed since the last build.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const stampFile = join(root, "dist", ".build-stamp");

function newest(dir) {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.endsWith(".test.ts")) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

function sourceStamp() {
  const inputs = [newest(join(root, "web")), statSync(fileURLToPath(import.meta.url)).mtimeMs];
  return String(Math.max(...inputs));
}

export async function buildWeb({ force = false, quiet = false } = {}) {
  const stamp = sourceStamp();
  if (!force && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return false;
  const { build } = await import("vite");
  const common = {
    configFile: false,
    logLevel: quiet ? "warn" : "info",
    esbuild: { jsx: "automatic", jsxImportSource: "preact", legalComments: "none" },
  };
  await build({
    ...common,
    root: join(root, "web", "checkout"),
    base: "/checkout/",
    build: {
      outDir: join(root, "dist", "checkout"),
      emptyOutDir: true,
      manifest: true,
      target: "es2020",
      modulePreload: false,
      assetsInlineLimit: 0,
      rollupOptions: { input: join(root, "web", "checkout", "src", "main.tsx") },
    },
  });
  await build({
    ...common,
    root: join(root, "web", "sdk"),
    build: {
      outDir: join(root, "dist", "sdk"),
      emptyOutDir: true,
      target: "es2018",
      lib: {
        entry: join(root, "web", "sdk", "src", "payrail.ts"),
        name: "Payrail",
        formats: ["iife", "es"],
        fileName: (format) => (format === "es" ? "payrail.mjs" : "payrail.js"),
      },
    },
  });
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(stampFile, stamp);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWeb({ force: process.argv.includes("--force") });
}
