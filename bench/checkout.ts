/**
 * `npm run bench -- checkout`: the hosted page's bundle sizes (raw and gzipped) and, in Debian's Chromium
 * on the throttled phone profile (400 ms RTT, 1.6 Mbit/s, 4x CPU slowdown), its first contentful paint and
 * time to interactive (the card number field ready to type in). The floor is the same measurement of a
 * blank page from the same server in the same run: the network and CPU cost no page can go under.
 */
import { gzipSync } from "node:zlib";
import { startDemoShop } from "../examples/shop/server.ts";
import { loadCheckoutAssets } from "../src/checkout/assets.ts";
import { launchChromium, PHONE, throttle3g } from "../test/support/browser.ts";
import { startTestServer } from "../test/support/server.ts";

const RUNS = Number(process.env.PAYRAIL_BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function run() {
  const assets = loadCheckoutAssets();
  const size = (body: Buffer) => ({ bytes: body.length, gzip_bytes: gzipSync(body, { level: 9 }).length });
  const bundles = {
    checkout_js: size(assets.entryScript.body),
    checkout_css: size(Buffer.concat(assets.stylesheets.map((s) => s.body))),
    sdk_js: size(assets.sdkClassic.body),
  };
  const server = await startTestServer({ env: { LOG_LEVEL: "warn" } });
  const shop = await startDemoShop({
    payrailUrl: server.url,
    secretKey: server.merchant.secret_key,
    publishableKey: server.merchant.publishable_key,
    host: "127.0.0.1",
    port: 0,
  });
  const browser = await launchChromium();
  const fcp: number[] = [];
  const tti: number[] = [];
  const floor: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const session = await server.request("POST", "/v1/checkout/sessions", {
        body: {
          currency: "eur",
          line_items: [{ name: "Ceramic mug", quantity: 1, unit_amount: 1800 }],
          success_url: `${shop.url}/orders/{CHECKOUT_SESSION_ID}`,
        },
      });
      const context = await browser.newContext(PHONE);
      const page = await context.newPage();
      await throttle3g(page);
      const start = Date.now();
      await page.goto(session.body.url, { waitUntil: "commit" });
      await page.locator('input[autocomplete="cc-number"]').waitFor();
      tti.push(Date.now() - start);
      fcp.push(
        (await page.evaluate(
          "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1",
        )) as number,
      );
      // Floor: a page of this server without scripts (help), cold, in a fresh context on the same profile.
      const fresh = await browser.newContext(PHONE);
      const blank = await fresh.newPage();
      await throttle3g(blank);
      await blank.goto(`${server.url}/help/en`);
      floor.push(
        (await blank.evaluate(
          "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1",
        )) as number,
      );
      await fresh.close();
      await context.close();
    }
  } finally {
    await browser.close();
    await shop.close();
    await server.close();
  }
  const result = {
    bench: "checkout",
    runs: RUNS,
    bundles,
    js_budget_gzip_bytes: 60 * 1024,
    phone_3g: {
      first_contentful_paint_ms: Math.round(median(fcp)),
      time_to_interactive_ms: Math.round(median(tti)),
      floor_first_contentful_paint_ms: Math.round(median(floor)),
    },
    fcp_over_floor: Number((median(fcp) / median(floor)).toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
