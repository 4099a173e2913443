import { performance } from "node:perf_hooks";
import type { WebhookEndpointRow } from "../../db/schema.ts";
import { recordEvents } from "../../events/service.ts";
import type { AppContext } from "../../http/context.ts";
import { endpointDisabledEvent, type WebhookDeliveryRow } from "./present.ts";
import { disableEndpoint, insertAttempt, lockDelivery, succeededSince } from "./queue-repo.ts";
import { SIGNATURE_HEADER, signPayload } from "./signature.ts";
import { type DeliveryFetch, discardBody, RefusedAddressError } from "./transport.ts";
import { checkWebhookUrl, type Resolver } from "./url-policy.ts";

export const USER_AGENT = "Payrail/1.0 (+webhooks)";
export const DELIVERY_FAILURES = "delivery_failures";

export interface AttemptResult {
  ok: boolean;
  outcome: "succeeded" | "http_error" | "timeout" | "network_error" | "refused";
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A short, secret-free description of a failed request. */
function describe(error: unknown): string {
  const err = error as { message?: string; code?: string; cause?: { message?: string; code?: string } };
  const inner = err.cause ?? err;
  const code = inner.code ?? err.code;
  const message = inner.message ?? err.message ?? String(error);
  return (code && !message.includes(code) ? `${code}: ${message}` : message).slice(0, 500);
}

const isRefusal = (error: unknown) =>
  error instanceof RefusedAddressError ||
  (error as { cause?: unknown })?.cause instanceof RefusedAddressError;

/**
 * One HTTP attempt: the URL policy is checked again (in live mode with a fresh DNS lookup, see
 * url-policy.ts), then the exact body bytes are POSTed with their signature. The timeout covers the
 * check, the request and reading the (discarded) response body.
 */
export async function attemptDelivery(args: {
  url: string;
  livemode: boolean;
  body: string;
  secret: string;
  timestampSeconds: number;
  timeoutMs: number;
  fetch: DeliveryFetch;
  resolve?: Resolver | undefined;
}): Promise<AttemptResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(args.timeoutMs);
  const done = (result: Omit<AttemptResult, "latencyMs">): AttemptResult => ({
    ...result,
    latencyMs: Math.round(performance.now() - started),
  });
  const timedOut = () =>
    done({ ok: false, outcome: "timeout", statusCode: null, error: `timed out after ${args.timeoutMs} ms` });
  try {
    await raceSignal(checkWebhookUrl(args.url, { livemode: args.livemode, resolve: args.resolve }), signal);
  } catch (error) {
    if (signal.aborted) return timedOut();
    return done({ ok: false, outcome: "refused", statusCode: null, error: `refused: ${describe(error)}` });
  }
  try {
    const response = await args.fetch(args.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        [SIGNATURE_HEADER]: signPayload(args.secret, args.body, args.timestampSeconds),
      },
      body: args.body,
      redirect: "manual",
      signal,
    });
    await raceSignal(discardBody(response), signal);
    const status = response.status;
    if (status >= 200 && status < 300)
      return done({ ok: true, outcome: "succeeded", statusCode: status, error: null });
    const error =
      status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`;
    return done({ ok: false, outcome: "http_error", statusCode: status || null, error });
  } catch (error) {
    if (signal.aborted) return timedOut();
    if (isRefusal(error)) {
      return done({ ok: false, outcome: "refused", statusCode: null, error: `refused: ${describe(error)}` });
    }
    return done({ ok: false, outcome: "network_error", statusCode: null, error: describe(error) });
  }
}

/**
 * Records the attempt and moves the delivery on: succeeded; pending again after the next delay of the
 * retry schedule; or failed once the schedule is exhausted. A delivery that failed for the whole
 * schedule while its endpoint answered nothing else successfully disables the endpoint, and the
 * `webhook_endpoint.disabled` event is written in the same transaction. Returns whether it disabled.
 */
export async function recordAttempt(
  ctx: AppContext,
  args: {
    claimed: WebhookDeliveryRow;
    endpoint: WebhookEndpointRow;
    result: AttemptResult;
    startedAt: Date;
  },
): Promise<boolean> {
  const { claimed, endpoint, result, startedAt } = args;
  const schedule = ctx.config.PAYRAIL_WEBHOOK_RETRY_SCHEDULE;
  return ctx.db.transaction().execute(async (tx) => {
    const current = await lockDelivery(tx, claimed.id);
    if (!current) return false; // the endpoint was deleted meanwhile, its deliveries with it
    await insertAttempt(tx, {
      id: ctx.ids.next("wa"),
      merchant_id: current.merchant_id,
      delivery_id: current.id,
      endpoint_id: current.endpoint_id,
      event_id: current.event_id,
      status_code: result.statusCode,
      latency_ms: result.latencyMs,
      error: result.error,
      created_at: startedAt,
    });
    // Another worker took the delivery over (our lease ran out): the attempt is recorded, its state is theirs.
    const ours =
      current.status === "pending" && current.locked_until?.getTime() === claimed.locked_until?.getTime();
    if (!ours) return false;
    const now = ctx.clock.now();
    const attempts = current.attempts + 1;
    const firstAttemptAt = current.first_attempt_at ?? startedAt;
    const common = {
      attempts,
      first_attempt_at: firstAttemptAt,
      last_status_code: result.statusCode,
      last_error: result.error,
      locked_until: null,
      updated_at: now,
    };
    const update = (values: Partial<Pick<WebhookDeliveryRow, "status" | "next_attempt_at">>) =>
      tx
        .updateTable("webhook_deliveries")
        .set({ ...common, ...values })
        .where("id", "=", current.id)
        .execute();
    if (result.ok) {
      await update({ status: "succeeded" });
      return false;
    }
    const delay = schedule[attempts - 1];
    if (delay !== undefined) {
      await update({ next_attempt_at: new Date(now.getTime() + delay) });
      return false;
    }
    await update({ status: "failed" });
    if (await succeededSince(tx, endpoint.id, firstAttemptAt)) return false;
    const disabled = await disableEndpoint(tx, endpoint.id, DELIVERY_FAILURES, now);
    if (!disabled) return false;
    await recordEvents(ctx, tx, [endpointDisabledEvent(disabled)]);
    ctx.logger.warn(
      { webhook_endpoint: endpoint.id, merchant: endpoint.merchant_id, delivery: current.id },
      "webhook endpoint disabled after failing the whole retry schedule",
    );
    return true;
  });
}
