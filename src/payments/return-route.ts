import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { PaymentIntentRow } from "../db/schema.ts";
import { applyAuthorizationStatus, callContextFor, type PaymentsDeps } from "./apply.ts";
import { asPaymentStatus, authorizeReference } from "./outcomes.ts";
import { findAttemptByReference, findIntentById } from "./repo.ts";
import { syncIntent } from "./sync.ts";

const ID = /^pi_[0-9A-Za-z]{10,40}$/;
const ACCOUNT_ID = /^mca_[0-9A-Za-z]{10,40}$/;

/** The provider's parameters on the return URL (e.g. Adyen's redirectResult), bounded in number and size. */
function returnParams(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!query || typeof query !== "object") return out;
  for (const [name, value] of Object.entries(query).slice(0, 20)) {
    if (typeof value === "string" && name.length <= 64 && value.length <= 20_000) out[name] = value;
  }
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function unknownPayment(reply: FastifyReply) {
  return reply
    .code(404)
    .type("text/html; charset=utf-8")
    .send("<!doctype html><title>Not found</title><p>Unknown payment.</p>");
}

/**
 * Where the shopper's browser lands after a redirect (3-D Secure, PayPal approval, iDEAL bank, …).
 * Payrail asks the provider for the outcome at once (the notification may come later or never) and
 * sends the shopper back to the shop. `/pay/return/<intent>` is the usual URL; a provider that redirects
 * only to one registered URL per account (GrabPay) uses `/pay/return/<connector>/<account>` and names
 * the payment in its own parameters.
 */
export function paymentReturnRoute(deps: PaymentsDeps) {
  async function finish(request: FastifyRequest, reply: FastifyReply, found: PaymentIntentRow) {
    let intent = found;
    const params = returnParams(request.query);
    if (
      (intent.status === "requires_action" || intent.status === "processing") &&
      intent.connector_account_id
    ) {
      const reference = authorizeReference(intent.id, intent.authorize_attempts);
      try {
        const call = await callContextFor(deps, intent.connector_account_id);
        const connector = deps.connectors.require(call.account.connector);
        if (connector.completeRedirect && intent.connector_transaction_id && Object.keys(params).length > 0) {
          const result = await connector.completeRedirect(call, {
            connectorReference: intent.connector_transaction_id,
            reference,
            params,
            amount: intent.amount,
            currency: intent.currency,
            capture: intent.capture_method === "automatic",
          });
          intent = await applyAuthorizationStatus(deps, intent, reference, asPaymentStatus(result, intent), {
            fromConfirm: false,
          });
        } else {
          intent = await syncIntent(deps, intent);
        }
      } catch (error) {
        request.log.warn(
          { err: error, payment_intent: intent.id },
          "sync on return failed; the worker will retry",
        );
      }
    }
    // Still waiting on the shopper or the provider is not a failure: the shop shows "pending" and waits
    // for the webhook.
    const redirectStatus =
      intent.status === "succeeded" || intent.status === "requires_capture"
        ? "succeeded"
        : intent.status === "processing" || intent.status === "requires_action"
          ? "pending"
          : "failed";
    if (intent.return_url) {
      const target = new URL(intent.return_url);
      target.searchParams.set("payment_intent", intent.id);
      target.searchParams.set("payment_intent_client_secret", intent.client_secret);
      target.searchParams.set("redirect_status", redirectStatus);
      return reply.code(303).header("location", target.toString()).send();
    }
    return reply
      .type("text/html; charset=utf-8")
      .send(
        `<!doctype html><meta name="viewport" content="width=device-width"><title>Payment ${escapeHtml(redirectStatus)}</title><p>Payment ${escapeHtml(intent.id)}: ${escapeHtml(redirectStatus)}.</p>`,
      );
  }

  return (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>(
      "/pay/return/:id",
      { schema: { hide: true } },
      async (request, reply) => {
        const { id } = request.params;
        const intent = ID.test(id) ? await findIntentById(deps.ctx.db, id) : undefined;
        return intent ? finish(request, reply, intent) : unknownPayment(reply);
      },
    );
    app.get<{ Params: { connector: string; account: string } }>(
      "/pay/return/:connector/:account",
      { schema: { hide: true } },
      async (request, reply) => {
        const { connector: connectorId, account } = request.params;
        const connector = deps.connectors.get(connectorId);
        const reference =
          ACCOUNT_ID.test(account) && connector?.returnReference
            ? connector.returnReference(returnParams(request.query))
            : undefined;
        const attempt = reference ? await findAttemptByReference(deps.ctx.db, reference) : undefined;
        // The account in the URL must be the one the payment went through: a state from another
        // merchant's payment finds nothing here.
        if (!attempt || attempt.connector_account_id !== account) return unknownPayment(reply);
        const intent = await findIntentById(deps.ctx.db, attempt.payment_intent_id);
        return intent ? finish(request, reply, intent) : unknownPayment(reply);
      },
    );
  };
}
