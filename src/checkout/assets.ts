import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The built browser code: `npm run build:web` (Vite) writes it to `dist/`. */
export const DIST_DIR = fileURLToPath(new URL("../../dist/", import.meta.url));

export interface StaticAsset {
  /** The path it is served at. */
  path: string;
  body: Buffer;
  contentType: string;
  /** Subresource Integrity value (`sha384-…`). */
  integrity: string;
  /** Content-hashed file names never change: cache them for a year. */
  immutable: boolean;
}

export interface ScriptInventoryEntry {
  url: string;
  integrity: string;
  bytes: number;
  purpose: string;
}

export interface CheckoutAssets {
  /** The checkout page's module script and stylesheets, in load order. */
  entryScript: StaticAsset;
  stylesheets: StaticAsset[];
  sdkClassic: StaticAsset;
  sdkModule: StaticAsset;
  byPath: Map<string, StaticAsset>;
  /** PCI DSS 6.4.3: every script a payment page loads, with its hash and why it is there. */
  inventory: ScriptInventoryEntry[];
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export function integrityOf(body: Buffer | string): string {
  return `sha384-${createHash("sha384").update(body).digest("base64")}`;
}

function asset(path: string, file: string, immutable: boolean): StaticAsset {
  const body = readFileSync(file);
  const ext = file.slice(file.lastIndexOf("."));
  return {
    path,
    body,
    contentType: CONTENT_TYPES[ext] ?? "application/octet-stream",
    integrity: integrityOf(body),
    immutable,
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

interface ManifestEntry {
  file: string;
  css?: string[];
  isEntry?: boolean;
}

export class MissingBuildError extends Error {
  constructor(what: string) {
    super(`${what} is not built: run \`npm run build:web\` (npm start and npm test do it for you).`);
  }
}

/** Reads what Vite built, once at start: the page then serves it from memory with hashes computed. */
export function loadCheckoutAssets(distDir = DIST_DIR): CheckoutAssets {
  const checkoutDir = join(distDir, "checkout");
  const manifestFile = join(checkoutDir, ".vite", "manifest.json");
  if (!existsSync(manifestFile)) throw new MissingBuildError("The checkout page");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, ManifestEntry>;
  const entry = Object.values(manifest).find((m) => m.isEntry);
  if (!entry) throw new MissingBuildError("The checkout page's entry");

  const byPath = new Map<string, StaticAsset>();
  for (const file of walk(checkoutDir)) {
    const rel = relative(checkoutDir, file).split(sep).join("/");
    if (rel.startsWith(".vite/")) continue;
    const served = asset(`/checkout/${rel}`, file, rel.startsWith("assets/"));
    byPath.set(served.path, served);
  }
  const sdkDir = join(distDir, "sdk");
  if (!existsSync(join(sdkDir, "payrail.js"))) throw new MissingBuildError("The SDK");
  const sdkClassic = asset("/sdk/v1/payrail.js", join(sdkDir, "payrail.js"), false);
  const sdkModule = asset("/sdk/v1/payrail.mjs", join(sdkDir, "payrail.mjs"), false);
  byPath.set(sdkClassic.path, sdkClassic);
  byPath.set(sdkModule.path, sdkModule);

  const entryScript = byPath.get(`/checkout/${entry.file}`);
  if (!entryScript) throw new MissingBuildError(`The checkout page's ${entry.file}`);
  const stylesheets = (entry.css ?? []).map((css) => byPath.get(`/checkout/${css}`) as StaticAsset);
  const inventory: ScriptInventoryEntry[] = [
    {
      url: entryScript.path,
      integrity: entryScript.integrity,
      bytes: entryScript.body.length,
      purpose: "Checkout form (hosted page and embedded frame): payment method choice, card fields, status.",
    },
    {
      url: sdkClassic.path,
      integrity: sdkClassic.integrity,
      bytes: sdkClassic.body.length,
      purpose: "Payrail.js for the merchant's page (classic script): mounts the checkout frame.",
    },
    {
      url: sdkModule.path,
      integrity: sdkModule.integrity,
      bytes: sdkModule.body.length,
      purpose: "Payrail.js as an ES module: mounts the checkout frame.",
    },
  ];
  return { entryScript, stylesheets, sdkClassic, sdkModule, byPath, inventory };
}
