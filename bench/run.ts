/**
 * `npm run bench -- <name>`: runs one benchmark; each prints one JSON line with its figures and a floor
 * measured in the same run.
 */
const benchmarks: Record<string, () => Promise<unknown>> = {
  payments: async () => (await import("./payments.ts")).run(),
  ledger: async () => (await import("./ledger.ts")).run(),
  cards: async () => (await import("./cards.ts")).run(),
  "local-methods": async () => (await import("./local-methods.ts")).run(),
  checkout: async () => (await import("./checkout.ts")).run(),
};

const name = process.argv[2];
const bench = name ? benchmarks[name] : undefined;
if (!bench) {
  process.stderr.write(`Usage: npm run bench -- <${Object.keys(benchmarks).join("|")}>\n`);
  process.exit(1);
}
await bench();
