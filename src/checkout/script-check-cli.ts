import type { ScriptInventoryEntry } from "./assets.ts";
import { checkPageScripts } from "./script-check.ts";

/**
 * `payrail checkout check-scripts <page URL> --key sk_…`: fetches the payment page and Payrail's script
 * inventory, and exits 1 when the page serves a script that is not inventoried or whose bytes changed.
 * Meant for a scheduled job (PCI DSS 11.6.1 asks for a weekly check at least).
 */
export async function runCheckScripts(
  pageUrl: string | undefined,
  key: string | undefined,
  write: (text: string) => void,
): Promise<number> {
  if (!pageUrl || !key) {
    write("usage: payrail checkout check-scripts <page URL> --key sk_test_…\n");
    return 2;
  }
  const page = new URL(pageUrl);
  const inventoryResponse = await fetch(new URL("/v1/checkout/scripts", page.origin), {
    headers: { authorization: `Bearer ${key}` },
  });
  if (!inventoryResponse.ok) {
    write(`could not read the script inventory: HTTP ${inventoryResponse.status}\n`);
    return 2;
  }
  const inventory = ((await inventoryResponse.json()) as { data: ScriptInventoryEntry[] }).data;
  const html = await (await fetch(page)).text();
  const problems = await checkPageScripts(page.href, html, inventory, async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  });
  for (const p of problems) write(`${p.problem}: ${p.script} (${p.detail})\n`);
  write(problems.length === 0 ? `ok: every script on ${page.href} matches the inventory\n` : "");
  return problems.length === 0 ? 0 : 1;
}
