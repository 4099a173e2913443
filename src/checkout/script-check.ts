import { integrityOf, type ScriptInventoryEntry } from "./assets.ts";

export interface ScriptCheckProblem {
  script: string;
  problem: "not_in_inventory" | "integrity_mismatch" | "missing_integrity" | "inline_script" | "unreachable";
  detail: string;
}

const SCRIPT_TAG = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const attribute = (attrs: string, name: string): string | undefined =>
  new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, "i").exec(attrs)?.[1];

/**
 * PCI DSS 11.6.1: compares the scripts a payment page actually serves with the merchant's inventory.
 * Every external script must be listed, carry the listed integrity value, and its bytes must hash to it;
 * inline code is allowed only as inert JSON data. An empty list means the page is as inventoried.
 */
export async function checkPageScripts(
  pageUrl: string,
  html: string,
  inventory: ScriptInventoryEntry[],
  fetchBytes: (url: string) => Promise<Buffer>,
): Promise<ScriptCheckProblem[]> {
  const problems: ScriptCheckProblem[] = [];
  for (const match of html.matchAll(SCRIPT_TAG)) {
    const attrs = match[1] ?? "";
    const src = attribute(attrs, "src");
    if (!src) {
      const type = attribute(attrs, "type");
      if (type !== "application/json")
        problems.push({
          script: "(inline)",
          problem: "inline_script",
          detail: (match[2] ?? "").slice(0, 80),
        });
      continue;
    }
    const url = new URL(src, pageUrl);
    const listed = inventory.find((entry) => new URL(entry.url, pageUrl).href === url.href);
    if (!listed) {
      problems.push({ script: url.href, problem: "not_in_inventory", detail: "served but not inventoried" });
      continue;
    }
    const declared = attribute(attrs, "integrity");
    if (!declared)
      problems.push({ script: url.href, problem: "missing_integrity", detail: "no integrity attribute" });
    else if (declared !== listed.integrity)
      problems.push({ script: url.href, problem: "integrity_mismatch", detail: `page declares ${declared}` });
    const body = await fetchBytes(url.href).catch((error: Error) => {
      problems.push({ script: url.href, problem: "unreachable", detail: error.message });
      return undefined;
    });
    if (body && integrityOf(body) !== listed.integrity)
      problems.push({
        script: url.href,
        problem: "integrity_mismatch",
        detail: `served bytes hash to ${integrityOf(body)}`,
      });
  }
  return problems;
}
