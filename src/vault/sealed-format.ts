import type { SealedCard } from "./envelope.ts";
import { VaultError } from "./errors.ts";

/**
 * One column per sealed record. Binary layout (format 1), all lengths in bytes:
 *
 *   0x01 | k (1) | key version (k, ASCII) | w (2, big-endian) | wrapped key (w) | nonce (12) | tag (16) | ciphertext (rest)
 *
 * `sealedToBytes` gives that for a bytea column; `encodeSealed` gives it as unpadded base64url for a
 * text column. The key version is inside as well as in its own column, so a record always names the
 * key that opens it. A later layout takes the next format byte; decoding rejects unknown ones.
 */
const FORMAT_1 = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const formatError = (why: string) => new VaultError("vault_format_error", `sealed vault record: ${why}`);

export function sealedToBytes(sealed: SealedCard): Buffer {
  const version = Buffer.from(sealed.keyVersion, "ascii");
  if (version.length === 0 || version.length > 255) throw formatError("key version length out of range");
  if (sealed.wrappedKey.length > 0xffff) throw formatError("wrapped key too long");
  if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw formatError("nonce or tag length");
  }
  const wrappedLength = Buffer.alloc(2);
  wrappedLength.writeUInt16BE(sealed.wrappedKey.length);
  return Buffer.concat([
    Buffer.from([FORMAT_1, version.length]),
    version,
    wrappedLength,
    sealed.wrappedKey,
    sealed.nonce,
    sealed.tag,
    sealed.ciphertext,
  ]);
}

export function sealedFromBytes(bytes: Buffer): SealedCard {
  if (bytes.length < 2) throw formatError("too short");
  if (bytes[0] !== FORMAT_1) throw formatError(`unknown format ${bytes[0]}`);
  const k = bytes[1] as number;
  if (k === 0) throw formatError("empty key version");
  let at = 2;
  const need = (n: number) => {
    if (at + n > bytes.length) throw formatError("truncated");
  };
  need(k + 2);
  const keyVersion = bytes.subarray(at, at + k).toString("ascii");
  at += k;
  const w = bytes.readUInt16BE(at);
  at += 2;
  need(w + NONCE_BYTES + TAG_BYTES);
  const take = (n: number) => {
    const part = Buffer.from(bytes.subarray(at, at + n));
    at += n;
    return part;
  };
  const wrappedKey = take(w);
  const nonce = take(NONCE_BYTES);
  const tag = take(TAG_BYTES);
  const ciphertext = take(bytes.length - at);
  return { keyVersion, wrappedKey, nonce, ciphertext, tag };
}

export function encodeSealed(sealed: SealedCard): string {
  return sealedToBytes(sealed).toString("base64url");
}

export function decodeSealed(text: string): SealedCard {
  if (!BASE64URL.test(text)) throw formatError("not base64url text");
  return sealedFromBytes(Buffer.from(text, "base64url"));
}
