/**
 * Locale helpers for the checkout page. Runs in the browser bundle and on the server (which imports
 * `negotiateLocale` and `parseAcceptLanguage`), so: no DOM and no Node APIs here, and keep it small.
 */
import { CHECKOUT_LOCALES, type CheckoutLocale } from "../../../../src/checkout/view-types.ts";
import { en, type Messages } from "./messages/en.ts";

export type { MessageKey, Messages } from "./messages/en.ts";

type Loader = () => Promise<{ messages: Messages }>;

/** One dynamic import per language, so the bundler gives each its own chunk. English ships in the main one. */
const LOADERS: Record<Exclude<CheckoutLocale, "en">, Loader> = {
  "zh-CN": () => import("./messages/zh-CN.ts"),
  "zh-TW": () => import("./messages/zh-TW.ts"),
  ja: () => import("./messages/ja.ts"),
  ko: () => import("./messages/ko.ts"),
  th: () => import("./messages/th.ts"),
  ms: () => import("./messages/ms.ts"),
  id: () => import("./messages/id.ts"),
  vi: () => import("./messages/vi.ts"),
  nl: () => import("./messages/nl.ts"),
  de: () => import("./messages/de.ts"),
  fr: () => import("./messages/fr.ts"),
  es: () => import("./messages/es.ts"),
  ar: () => import("./messages/ar.ts"),
};

/**
 * The catalog for a locale. Falls back to English when the locale is unknown or its chunk cannot be
 * loaded (a flaky connection must not leave the shopper without a page to pay on).
 */
export async function loadMessages(locale: CheckoutLocale): Promise<Messages> {
  if (locale === "en" || !Object.hasOwn(LOADERS, locale)) return en;
  try {
    return (await LOADERS[locale]()).messages;
  } catch {
    return en;
  }
}

/** Fills `{name}` placeholders; a placeholder without a value is left as it is. */
export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : placeholder,
  );
}

export function textDirection(locale: CheckoutLocale): "ltr" | "rtl" {
  return locale === "ar" ? "rtl" : "ltr";
}

/** Each language by its own name, for the language picker. */
export const LOCALE_NAMES: Record<CheckoutLocale, string> = {
  en: "English",
  "zh-CN": "简体中文",
  "zh-TW": "繁體中文",
  ja: "日本語",
  ko: "한국어",
  th: "ไทย",
  ms: "Bahasa Melayu",
  id: "Bahasa Indonesia",
  vi: "Tiếng Việt",
  nl: "Nederlands",
  de: "Deutsch",
  fr: "Français",
  es: "Español",
  ar: "العربية",
};

/**
 * Currencies whose ISO 4217 minor unit (what the API's integer amounts count, see src/core/money.ts)
 * differs from the digits CLDR gives Intl. Intl shows IDR with no decimals, but 150000 IDR in the API is
 * Rp 1.500,00, not Rp 150.000.
 */
const ISO_EXPONENTS: Record<string, number> = {
  AFN: 2,
  ALL: 2,
  COP: 2,
  HUF: 2,
  IDR: 2,
  IQD: 3,
  IRR: 2,
  KPW: 2,
  LAK: 2,
  LBP: 2,
  MGA: 2,
  MMK: 2,
  PKR: 2,
  SOS: 2,
  SYP: 2,
  YER: 2,
};

function intlDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** ISO 4217 minor-unit digits: JPY 0, USD 2, KWD 3. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  return ISO_EXPONENTS[code] ?? intlDigits(code);
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * An integer amount in minor units, for display: 1999 USD in "en" → "$19.99", 1500 JPY → "¥1,500",
 * 1234 KWD → "KWD 1.234". Always shows every minor digit, except that a currency Intl shows without
 * decimals (IDR, HUF, …) drops an all-zero fraction: Rp 150.000 rather than Rp 150.000,00.
 */
export function formatAmount(amountMinor: number, currency: string, locale: string): string {
  const code = currency.toUpperCase();
  let exponent: number;
  let usual: number;
  try {
    usual = intlDigits(code);
    exponent = ISO_EXPONENTS[code] ?? usual;
  } catch {
    // Not a well-formed currency code: show what we have rather than break the page.
    return `${amountMinor} ${code}`;
  }
  const decimal = toDecimal(amountMinor, exponent);
  const fraction = decimal.split(".")[1] ?? "";
  const digits = usual < exponent && /^0*$/.test(fraction) ? usual : exponent;
  const key = `${locale}|${code}|${digits}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const options: Intl.NumberFormatOptions = {
      style: "currency",
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    };
    try {
      formatter = new Intl.NumberFormat(locale, options);
    } catch {
      formatter = new Intl.NumberFormat("en", options);
    }
    formatters.set(key, formatter);
  }
  // A decimal string keeps every digit exact where Intl takes strings, and is a plain number elsewhere.
  return formatter.format(decimal);
}

/** 1999 with exponent 2 → "19.99", built from the digits so no binary fraction creeps in. */
function toDecimal(amountMinor: number, exponent: number): `${number}` {
  if (!Number.isSafeInteger(amountMinor)) return `${amountMinor / 10 ** exponent}` as `${number}`;
  const sign = amountMinor < 0 ? "-" : "";
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exponent + 1, "0");
  if (exponent === 0) return `${sign}${digits}` as `${number}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` as `${number}`;
}

const BY_LOWER_CASE = new Map<string, CheckoutLocale>(
  CHECKOUT_LOCALES.map((locale) => [locale.toLowerCase(), locale]),
);

function matchTag(tag: string): CheckoutLocale | undefined {
  const lower = tag.trim().replace(/_/g, "-").toLowerCase();
  const exact = BY_LOWER_CASE.get(lower);
  if (exact) return exact;
  // Language, script and region come before the first singleton (extensions, private use).
  const subtags = lower.split("-");
  const end = subtags.findIndex((subtag, index) => index > 0 && subtag.length === 1);
  const [language = "", ...rest] = end === -1 ? subtags : subtags.slice(0, end);
  if (language === "zh") {
    if (rest.includes("hant")) return "zh-TW";
    if (rest.includes("hans")) return "zh-CN";
    return rest.some((subtag) => subtag === "tw" || subtag === "hk" || subtag === "mo") ? "zh-TW" : "zh-CN";
  }
  if (language === "in") return "id"; // the pre-1989 code for Indonesian, still sent by old Android
  return BY_LOWER_CASE.get(language);
}

/**
 * The best checkout locale for a shopper's preferences (BCP 47 tags, best first, from Accept-Language
 * or navigator.languages): the first preference we can serve wins, by exact tag or by its language
 * (de-AT → de; Chinese by script, then region: zh-Hant, zh-TW, zh-HK, zh-MO → zh-TW; other zh → zh-CN).
 */
export function negotiateLocale(preferences: readonly string[]): CheckoutLocale {
  for (const preference of preferences) {
    const match = matchTag(preference);
    if (match) return match;
  }
  return "en";
}

const LANGUAGE_TAG = /^[a-z]{1,8}(?:[-_][a-z0-9]{1,8})*$/i;
const MAX_PREFERENCES = 20;

/**
 * An Accept-Language header as tags, best first: ordered by q (equal q keep header order), without
 * q=0, "*", duplicates or anything malformed, and at most 20.
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  const entries: Array<{ tag: string; q: number }> = [];
  for (const part of header.split(",")) {
    const [rawTag = "", ...params] = part.split(";");
    const tag = rawTag.trim();
    if (!LANGUAGE_TAG.test(tag)) continue;
    let q = 1;
    for (const param of params) {
      const [name = "", value = ""] = param.split("=");
      if (name.trim().toLowerCase() !== "q") continue;
      q = value.trim() === "" ? Number.NaN : Number(value);
    }
    if (Number.isNaN(q) || q <= 0) continue;
    entries.push({ tag, q: Math.min(q, 1) });
  }
  entries.sort((a, b) => b.q - a.q); // stable
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const { tag } of entries) {
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
    if (tags.length === MAX_PREFERENCES) break;
  }
  return tags;
}
