/** GrabPay's answers and notifications, read defensively: undefined when a field we need is missing. */

export interface WireCharge {
  txID: string;
  /** `txStatus` (or `status`): processing, success, failed, and others we do not know. */
  txStatus: string;
  reason: string;
}

export interface WireRefund {
  txID: string;
  txStatus: string;
  reason: string;
  echo?: string | undefined;
}

export interface WirePartnerError {
  code: string;
  message: string;
  reason: string;
}

export interface WireNotification {
  txType: string;
  txID: string;
  partnerTxID: string;
  originTxID?: string | undefined;
  status: string;
  reason: string;
  amount?: bigint | undefined;
  currency?: string | undefined;
}

type Json = Record<string, unknown>;

function object(body: unknown): Json | undefined {
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function statusOf(json: Json): string | undefined {
  return text(json.txStatus) || text(json.status);
}

export function parseCharge(body: unknown): WireCharge | undefined {
  const json = object(body);
  const txID = json && text(json.txID);
  const txStatus = json && statusOf(json);
  if (!json || !txID || !txStatus) return undefined;
  return { txID, txStatus, reason: text(json.reason) ?? "" };
}

export function parseRefund(body: unknown): WireRefund | undefined {
  const charge = parseCharge(body);
  if (!charge) return undefined;
  const echo = text((body as Json).echo);
  return { ...charge, ...(echo !== undefined ? { echo } : {}) };
}

export function parsePartnerError(body: unknown): WirePartnerError | undefined {
  const json = object(body);
  const code = json && text(json.code);
  if (!json || !code) return undefined;
  return { code, message: text(json.message) ?? "", reason: text(json.reason) ?? "" };
}

export function parseChargeInit(body: unknown): { request: string } | undefined {
  const request = text(object(body)?.request);
  return request ? { request } : undefined;
}

export type WireToken = { accessToken: string } | { error: string; description: string };

export function parseToken(body: unknown): WireToken | undefined {
  const json = object(body);
  if (!json) return undefined;
  const accessToken = text(json.access_token);
  if (accessToken) return { accessToken };
  const error = text(json.error);
  return error ? { error, description: text(json.error_description) ?? "" } : undefined;
}

function integer(value: unknown): bigint | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^\d{1,16}$/.test(value)) return BigInt(value);
  return undefined;
}

export function parseNotification(body: unknown): WireNotification | undefined {
  const json = object(body);
  if (!json) return undefined;
  const txType = text(json.txType);
  const txID = text(json.txID);
  const partnerTxID = text(json.partnerTxID);
  const status = statusOf(json);
  if (!txType || !txID || !partnerTxID || !status) return undefined;
  const amount = integer(json.amount);
  const currency = text(json.currency);
  const originTxID = text(json.originTxID);
  return {
    txType,
    txID,
    partnerTxID,
    status,
    reason: text(json.reason) ?? "",
    ...(amount !== undefined ? { amount } : {}),
    ...(currency ? { currency } : {}),
    ...(originTxID ? { originTxID } : {}),
  };
}
