/**
 * Reading a gateway answer `{"<method>_response":{...},"sign":"..."}`: the signature is checked with
 * Alipay's public key over the exact received text of the `_response` value before anything in it is
 * believed. What the answer then says is sorted into success, a definite refusal, or unknown.
 */
import type { KeyObject } from "node:crypto";
import { rawMembers } from "./envelope.ts";
import { rsa2Verify } from "./signing.ts";

export type GatewayAnswer =
  /** code 10000, signed by Alipay. */
  | { kind: "success"; body: Record<string, unknown> }
  /** Alipay definitely did not act: a gateway error (40001/40002/40003) or a business refusal (40004). */
  | { kind: "refused"; code: string; subCode: string; subMsg: string }
  /** Whether Alipay acted is not known: network, 5xx, 20000, ACQ.SYSTEM_ERROR, unreadable or unsigned. */
  | { kind: "unknown"; reason: string };

export function responseKey(method: string): string {
  return `${method.replaceAll(".", "_")}_response`;
}

function asObject(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return null;
  const value: unknown = JSON.parse(text);
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

const str = (value: unknown) => (typeof value === "string" ? value : "");

/** Codes that say "try again": the call may or may not have been carried out. */
export function isOutcomeUnknown(code: string, subCode: string): boolean {
  return code === "20000" || subCode.endsWith("SYSTEM_ERROR") || subCode === "isp.unknow-error";
}

export function classify(body: Record<string, unknown>): GatewayAnswer {
  const code = str(body.code);
  if (code === "10000") return { kind: "success", body };
  if (!/^\d{5}$/.test(code)) return { kind: "unknown", reason: "malformed_response" };
  const subCode = str(body.sub_code);
  if (isOutcomeUnknown(code, subCode)) return { kind: "unknown", reason: subCode || `code_${code}` };
  return { kind: "refused", code, subCode, subMsg: str(body.sub_msg) };
}

export function readGatewayAnswer(text: string, method: string, alipayPublicKey: KeyObject): GatewayAnswer {
  const members = rawMembers(text);
  if (!members) return { kind: "unknown", reason: "malformed_response" };
  const raw = members.get(responseKey(method));
  const body = asObject(raw ?? members.get("error_response"));
  if (!body) return { kind: "unknown", reason: "malformed_response" };
  const signature = members.has("sign") ? JSON.parse(members.get("sign")!) : undefined;
  if (raw !== undefined && typeof signature === "string") {
    if (!rsa2Verify(raw, signature, alipayPublicKey)) return { kind: "unknown", reason: "signature_invalid" };
    return classify(body);
  }
  // Alipay cannot sign for an app it does not know, so refusals may come unsigned; a success never does.
  const answer = classify(body);
  return answer.kind === "success" ? { kind: "unknown", reason: "response_unsigned" } : answer;
}
