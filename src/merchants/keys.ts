import { createHash } from "node:crypto";
import { type RandomSource, randomToken } from "../core/ids.ts";

export type KeyKind = "secret" | "publishable";

/** 24 random bytes: 192 bits, comfortably above the 128 the design asks for. */
export function generateApiKey(random: RandomSource, kind: KeyKind, livemode: boolean): string {
  return `${kind === "secret" ? "sk" : "pk"}_${livemode ? "live" : "test"}_${randomToken(random, 24)}`;
}

/** Keys carry enough entropy that a plain SHA-256 cannot be brute-forced; only the hash is stored. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function redactKey(key: string): string {
  return `${key.slice(0, 8)}…${key.slice(-4)}`;
}

const KEY_SHAPE = /^(sk|pk)_(test|live)_[0-9A-Za-z]{20,64}$/;

export function parseKeyShape(key: string): { kind: KeyKind; livemode: boolean } | null {
  const match = KEY_SHAPE.exec(key);
  if (!match) return null;
  return { kind: match[1] === "sk" ? "secret" : "publishable", livemode: match[2] === "live" };
}
