/**
 * Checks of what a merchant's page hands the SDK. Each failure throws an Error that names the mistake and
 * the fix, because the person reading it is a developer wiring Payrail in for the first time.
 */
import type { CheckoutTheme } from "../../checkout/src/embed-protocol.ts";

const fail = (message: string): never => {
  throw new Error(`Payrail: ${message}`);
};

const KEY_HINT = "your publishable key (pk_test_… or pk_live_…)";

export function checkPublishableKey(key: unknown): string {
  if (typeof key === "string" && /^pk_(test|live)_[0-9A-Za-z]+$/.test(key)) return key;
  if (typeof key === "string" && /^(sk|rk)_/.test(key)) {
    fail(
      `Payrail() was given a secret API key: it must never reach a web page. Use ${KEY_HINT}, and roll the secret key if this page was ever served.`,
    );
  }
  return fail(`Payrail() needs ${KEY_HINT} as its first argument.`);
}

/** The intent id from a client secret `pi_…_secret_…`. */
export function intentIdFromClientSecret(secret: unknown): string {
  const what = "mount() needs the PaymentIntent's client_secret (pi_…_secret_…)";
  if (typeof secret !== "string" || secret === "") return fail(`${what}.`);
  const match = /^(pi_[0-9A-Za-z]+)_secret_[0-9A-Za-z]+$/.exec(secret);
  if (match) return match[1] as string;
  if (/^(sk|rk)_/.test(secret)) return fail(`${what}, not the secret API key.`);
  if (secret.startsWith("pk_")) return fail(`${what}, not the publishable key.`);
  if (secret.startsWith("cs_")) {
    return fail(`${what}, not a Checkout Session id: send the shopper to the session's url instead.`);
  }
  if (/^pi_[0-9A-Za-z]+$/.test(secret)) return fail(`${what}, not the PaymentIntent's id.`);
  return fail(`${what}; "${secret.slice(0, 12)}…" is not one.`);
}

/** "auto" or a language tag such as "en" or "zh-CN"; the frame falls back to English for ones it lacks. */
export function checkLocale(locale: unknown): string | undefined {
  if (locale === undefined) return undefined;
  if (typeof locale === "string" && /^(auto|[A-Za-z]{2,3}(-[0-9A-Za-z]{2,8})*)$/.test(locale)) return locale;
  return fail(
    `locale must be "auto" or a language tag such as "en" or "zh-CN", not ${JSON.stringify(locale)}.`,
  );
}

/** Every setting of the frame's theme; a Record so the compiler notices a setting added to the protocol. */
const THEME_KEYS: Record<keyof CheckoutTheme, 1> = {
  colorPrimary: 1,
  colorBackground: 1,
  colorText: 1,
  colorDanger: 1,
  borderRadius: 1,
  fontFamily: 1,
};

/** A copy holding only known settings with string values (the frame checks the values themselves). */
export function checkTheme(theme: unknown): CheckoutTheme | undefined {
  if (theme === undefined) return undefined;
  if (typeof theme !== "object" || theme === null || Array.isArray(theme)) {
    return fail('theme must be an object such as { colorPrimary: "#0a7" }.');
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(theme)) {
    if (!Object.hasOwn(THEME_KEYS, name)) {
      fail(`theme has no setting "${name}"; the settings are ${Object.keys(THEME_KEYS).join(", ")}.`);
    }
    if (value === undefined) continue;
    if (typeof value !== "string") fail(`theme.${name} must be a string.`);
    out[name] = value;
  }
  return out;
}

/**
 * Payrail's address from the URL the SDK was loaded from, when that is one of Payrail's SDK paths
 * (`/sdk/v1/payrail.js`, `/sdk/v1/payrail.mjs`). Anything else (a copy bundled into the merchant's own
 * scripts, a CDN) says nothing about where Payrail is, and gives undefined.
 */
export function baseUrlFromScript(scriptUrl: string | null | undefined): string | undefined {
  if (!scriptUrl) return undefined;
  let url: URL;
  try {
    url = new URL(scriptUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  return /\/sdk\/v\d+\/payrail(\.min)?\.m?js$/.test(url.pathname) ? url.origin : undefined;
}

/** The base URL to use: the merchant's `baseUrl` option, else where the script came from. */
export function resolveBaseUrl(option: unknown, loadedFrom: string | null | undefined): string {
  if (option !== undefined) {
    let url: URL | undefined;
    try {
      url = typeof option === "string" ? new URL(option) : undefined;
    } catch {}
    if (url && (url.protocol === "https:" || url.protocol === "http:")) return url.origin;
    return fail(`options.baseUrl must be Payrail's http(s) address, such as "https://pay.example.com".`);
  }
  return (
    baseUrlFromScript(loadedFrom) ??
    fail(
      `cannot tell Payrail's address: this script was not loaded from Payrail's /sdk/v1/payrail.js. Pass it: Payrail(key, { baseUrl: "https://pay.example.com" }).`,
    )
  );
}
