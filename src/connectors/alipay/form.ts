/**
 * `application/x-www-form-urlencoded` as Alipay speaks it: values percent-encoded in the declared
 * charset (utf-8 by default; Alipay also posts gbk and gb2312 for apps configured so).
 */
import iconv from "iconv-lite";

export function encodeForm(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");
}

const CHARSETS = new Map([
  ["utf-8", "utf-8"],
  ["utf8", "utf-8"],
  ["gbk", "gbk"],
  ["gb2312", "gb2312"],
]);

/** The bytes a form component stands for; null for a bad escape or a raw non-ASCII byte. */
function componentBytes(text: string): Buffer | null {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x2b) bytes.push(0x20);
    else if (char === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (char < 0x80) bytes.push(char);
    else return null;
  }
  return Buffer.from(bytes);
}

/**
 * Decodes a form body; null when it is not one: non-ASCII bytes on the wire, a bad escape, a repeated
 * key (which value was signed would be ambiguous) or an unknown `charset`.
 */
export function decodeForm(raw: Buffer): Record<string, string> | null {
  const text = raw.toString("latin1");
  const pairs: Array<[Buffer, Buffer]> = [];
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const at = pair.indexOf("=");
    const key = componentBytes(at < 0 ? pair : pair.slice(0, at));
    const value = componentBytes(at < 0 ? "" : pair.slice(at + 1));
    if (!key || !value) return null;
    pairs.push([key, value]);
  }
  const declared = pairs.find(([key]) => key.toString("latin1") === "charset")?.[1].toString("latin1");
  const charset = CHARSETS.get(declared?.toLowerCase() ?? "utf-8");
  if (!charset) return null;
  const decoded = new Map<string, string>();
  for (const [keyBytes, valueBytes] of pairs) {
    const key = iconv.decode(keyBytes, charset);
    if (decoded.has(key)) return null;
    decoded.set(key, iconv.decode(valueBytes, charset));
  }
  // fromEntries defines own properties, so a `__proto__` key stays a plain field.
  return Object.fromEntries(decoded);
}
