import { sendRequest } from "../../core/http-client.ts";

/**
 * HTTP calls to the sandbox processor. Nothing here decides what an answer means, except that every
 * answer that does not say what happened (network error, timeout, 5xx, 429, unreadable body) is
 * reported as `unknown`, never as a failure, and never thrown.
 */

export interface SandboxConnection {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

export type SandboxAnswer =
  /** The processor answered with a readable JSON body (2xx or a definite 4xx). */
  { kind: "answer"; status: number; body: unknown } | { kind: "unknown"; reason: string };

export interface ChargeBody {
  reference: string;
  amount: bigint;
  currency: string;
  capture: boolean;
  card: { number: string; exp_month: number; exp_year: number; cvc?: string };
  return_url: string;
  notification_url?: string;
  description?: string;
}

/** JSON with bigint amounts written as integers; amounts beyond 2^53 cannot exist in this protocol. */
function encode(body: object): string {
  return JSON.stringify(body, (_key, value: unknown) => {
    if (typeof value !== "bigint") return value;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(`amount ${value} is outside what the sandbox processor accepts`);
    }
    return Number(value);
  });
}

function failureReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "timeout";
  return "network_error";
}

async function call(
  connection: SandboxConnection,
  method: "GET" | "POST",
  path: string,
  options: { body?: object; idempotencyKey?: string } = {},
): Promise<SandboxAnswer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${connection.apiKey}`,
    accept: "application/json",
  };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
  const body = options.body === undefined ? undefined : encode(options.body);

  let status: number;
  let text: string;
  try {
    const response = await sendRequest({
      method,
      url: `${connection.baseUrl}${path}`,
      headers,
      body,
      timeoutMs: connection.timeoutMs,
    });
    status = response.status;
    text = response.body.toString("utf8");
  } catch (error) {
    return { kind: "unknown", reason: failureReason(error) };
  }
  if (status === 429) return { kind: "unknown", reason: "rate_limited" };
  if (status >= 500) return { kind: "unknown", reason: `http_${status}` };
  try {
    return { kind: "answer", status, body: JSON.parse(text) as unknown };
  } catch {
    return { kind: "unknown", reason: "malformed_response" };
  }
}

const segment = encodeURIComponent;

export const sandboxClient = {
  createCharge: (c: SandboxConnection, body: ChargeBody) =>
    call(c, "POST", "/v1/charges", { body, idempotencyKey: body.reference }),
  getCharge: (c: SandboxConnection, id: string) => call(c, "GET", `/v1/charges/${segment(id)}`),
  findCharges: (c: SandboxConnection, reference: string) =>
    call(c, "GET", `/v1/charges?reference=${segment(reference)}`),
  capture: (c: SandboxConnection, id: string, body: { amount: bigint; reference: string; final: boolean }) =>
    call(c, "POST", `/v1/charges/${segment(id)}/capture`, { body, idempotencyKey: body.reference }),
  void: (c: SandboxConnection, id: string, body: { reference: string }) =>
    call(c, "POST", `/v1/charges/${segment(id)}/void`, { body, idempotencyKey: body.reference }),
  refund: (c: SandboxConnection, body: { charge: string; amount: bigint; reference: string }) =>
    call(c, "POST", "/v1/refunds", { body, idempotencyKey: body.reference }),
  getRefund: (c: SandboxConnection, id: string) => call(c, "GET", `/v1/refunds/${segment(id)}`),
  findRefunds: (c: SandboxConnection, reference: string) =>
    call(c, "GET", `/v1/refunds?reference=${segment(reference)}`),
};
