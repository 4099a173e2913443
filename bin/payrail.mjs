#!/usr/bin/env node
import { register } from "tsx/esm/api";

register();
const args = process.argv.slice(2);
if (args[0] === "serve" || args[0] === undefined) {
  // Builds the checkout page and the SDK when web/ changed (a source checkout); a packaged install ships dist/.
  const { buildWeb } = await import("../scripts/build-web.mjs").catch(() => ({ buildWeb: null }));
  if (buildWeb)
    await buildWeb({ quiet: true }).catch((error) =>
      console.error(`checkout build failed: ${error.message}`),
    );
}
const { run } = await import("../src/cli.ts");
await run(args);
