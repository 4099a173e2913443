/**
 * Readers for the JSON WeChat Pay sends: an order (query answer, TRANSACTION.* resource), a refund
 * (refund answer, REFUND.* resource), an error. Each returns null when a required field is missing or
 * mistyped, so a strange answer is never read as a definite outcome.
 */

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(source: Json | undefined, key: string): string | undefined {
  const value = source?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Fen as an exact bigint; anything but a non-negative safe integer is refused. */
function fen(source: Json | undefined, key: string): bigint | undefined {
  const value = source?.[key];
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
}

export interface WechatTransaction {
  mchid: string | undefined;
  appid: string | undefined;
  outTradeNo: string;
  transactionId: string | undefined;
  tradeState: string;
  tradeStateDesc: string | undefined;
  total: bigint;
  /** Upper case as WeChat writes it (CNY). */
  currency: string;
}

export function parseTransaction(body: unknown): WechatTransaction | null {
  const source = object(body);
  const amount = object(source?.amount);
  const outTradeNo = text(source, "out_trade_no");
  const tradeState = text(source, "trade_state");
  const total = fen(amount, "total");
  const currency = text(amount, "currency");
  if (!outTradeNo || !tradeState || total === undefined || !currency) return null;
  return {
    mchid: text(source, "mchid"),
    appid: text(source, "appid"),
    outTradeNo,
    transactionId: text(source, "transaction_id"),
    tradeState,
    tradeStateDesc: text(source, "trade_state_desc"),
    total,
    currency,
  };
}

export interface WechatRefund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string | undefined;
  transactionId: string | undefined;
  /** SUCCESS, PROCESSING, ABNORMAL, CLOSED. */
  status: string;
  refund: bigint;
  currency: string;
}

/**
 * A refund answer (`status`, `amount.currency`) or a REFUND.* resource (`refund_status`, and no currency:
 * domestic refunds are always CNY).
 */
export function parseRefund(body: unknown): WechatRefund | null {
  const source = object(body);
  const amount = object(source?.amount);
  const outRefundNo = text(source, "out_refund_no");
  const refundId = text(source, "refund_id");
  const status = text(source, "status") ?? text(source, "refund_status");
  const refund = fen(amount, "refund");
  if (!outRefundNo || !refundId || !status || refund === undefined) return null;
  return {
    outRefundNo,
    refundId,
    outTradeNo: text(source, "out_trade_no"),
    transactionId: text(source, "transaction_id"),
    status,
    refund,
    currency: text(amount, "currency") ?? "CNY",
  };
}

export interface WechatError {
  code: string;
  message: string | undefined;
}

export function parseError(body: unknown): WechatError | null {
  const source = object(body);
  const code = text(source, "code");
  return code ? { code, message: text(source, "message") } : null;
}

export interface WechatNotification {
  id: string;
  eventType: string;
  resource:
    | { algorithm: string; ciphertext: string; associatedData: string; nonce: string; originalType: string }
    | undefined;
}

export function parseNotification(body: unknown): WechatNotification | null {
  const source = object(body);
  const id = text(source, "id");
  const eventType = text(source, "event_type");
  if (!id || !eventType) return null;
  const resource = object(source?.resource);
  const algorithm = text(resource, "algorithm");
  const ciphertext = text(resource, "ciphertext");
  const nonce = text(resource, "nonce");
  const associatedData = resource?.associated_data;
  return {
    id,
    eventType,
    resource:
      algorithm && ciphertext && nonce
        ? {
            algorithm,
            ciphertext,
            nonce,
            associatedData: typeof associatedData === "string" ? associatedData : "",
            originalType: text(resource, "original_type") ?? "",
          }
        : undefined,
  };
}
