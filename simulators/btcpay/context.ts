/** What every request handler and background job of one simulator instance shares. */
import type { Lifecycle } from "../common/lifecycle.ts";
import type { Ids } from "./ids.ts";
import type { SimulatorLogger } from "./logger.ts";
import type { SpecValidators } from "./spec.ts";
import type { Invoice, Store } from "./store.ts";

export type WebhookType =
  | "InvoiceCreated"
  | "InvoiceReceivedPayment"
  | "InvoicePaymentSettled"
  | "InvoiceProcessing"
  | "InvoiceExpired"
  | "InvoiceSettled"
  | "InvoiceInvalid";

export interface EventSink {
  /** `fields` are the event's own properties, which BTCPay serializes before the common ones. */
  emit(invoice: Invoice, type: WebhookType, fields?: Record<string, unknown>): void;
}

export interface Context {
  store: Store;
  ids: Ids;
  now: () => Date;
  lifecycle: Lifecycle;
  logger: SimulatorLogger;
  spec: SpecValidators;
  events: EventSink;
  /** Invoice currency per BTC, scale 8 (e.g. USD → 64392.23 as 6439223000000n). */
  rates: Map<string, bigint>;
  /** Real-time wait before an unconfirmed payment confirms (a block is "mined"). */
  resolveAfterMs: number;
  baseUrl(): string;
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** A reply as a value: status, JSON body (null for none) and extra headers. */
export interface Outcome {
  status: number;
  body: unknown;
  /** The spec schema the body must satisfy (checked before it leaves). */
  schema?: string;
  headers?: Record<string, string>;
}

export function ok(body: unknown, schema?: string): Outcome {
  return schema === undefined ? { status: 200, body } : { status: 200, body, schema };
}

/** Greenfield's `{ code, message }` error (ProblemDetails). */
export function apiError(status: number, code: string, message: string): Outcome {
  return { status, body: { code, message }, schema: "ProblemDetails" };
}

/** Greenfield's validation error: 422 with `[{ path, message }]`. */
export function validationError(problems: Array<{ path: string; message: string }>): Outcome {
  return { status: 422, body: problems, schema: "ValidationProblemDetails" };
}
