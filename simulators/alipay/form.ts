/**
 * `application/x-www-form-urlencoded` decoding in a declared charset: Alipay accepts utf-8, gbk and
 * gb2312 requests, percent-escapes being bytes in that charset.
 */
import iconv from "iconv-lite";

export const SUPPORTED_CHARSETS = ["utf-8", "utf8", "gbk", "gb2312"];

export function isSupportedCharset(charset: string): boolean {
  return SUPPORTED_CHARSETS.includes(charset.toLowerCase());
}

function decodeComponent(text: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "+") bytes.push(0x20);
    else if (char === "%" && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const byte of Buffer.from(char, "latin1")) bytes.push(byte);
    }
  }
  return iconv.decode(Buffer.from(bytes), isSupportedCharset(charset) ? charset : "utf-8");
}

/** Pairs in order; a repeated key keeps its first value. */
export function parseForm(raw: string, charset = "utf-8"): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === "") return out;
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq), charset);
    const value = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1), charset);
    if (!(key in out)) out[key] = value;
  }
  return out;
}

/** The `charset` parameter as written in a raw query or body, before decoding anything else. */
export function sniffCharset(...raws: string[]): string | undefined {
  for (const raw of raws) {
    const match = /(?:^|&)charset=([^&]*)/.exec(raw);
    if (match) return decodeURIComponent(match[1]!.replace(/\+/g, " "));
  }
  return undefined;
}

export function encodeForm(params: Readonly<Record<string, string>>): string {
  return new URLSearchParams(Object.entries(params)).toString();
}
