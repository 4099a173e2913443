import { ApplePayTokenError } from "./errors.ts";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Node's decoder skips characters it does not know; a token field must be exact base64. */
export function decodeBase64Field(field: string, value: unknown): Buffer {
  if (typeof value !== "string" || value.length === 0 || !BASE64.test(value)) {
    throw new ApplePayTokenError("malformed_token", `${field} is not base64`);
  }
  return Buffer.from(value, "base64");
}

export function decodeHexField(field: string, value: unknown): Buffer {
  if (typeof value !== "string" || value.length === 0 || !HEX.test(value)) {
    throw new ApplePayTokenError("malformed_token", `${field} is not hex`);
  }
  return Buffer.from(value, "hex");
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
