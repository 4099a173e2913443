import type { FastifyInstance } from "fastify";
import { applyAuthorizationStatus, callContextFor, type PaymentsDeps } from "./apply.ts";
import { asPaymentStatus, authorizeReference } from "./outcomes.ts";
import { findIntentById } from "./repo.ts";

const ID = /^pi_[0-9A-Za-z]{10,40}$/;

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

/**
 * Where the shopper's browser lands after a redirect (3-D Secure). Payrail asks the provider for the
 * outcome at once (the notification may come later or never) and sends the shopper back to the shop.
 */
export function paymentReturnRoute(deps: PaymentsDeps) {
  return (app: FastifyInstance) =>
    app.get<{ Params: { id: string } }>(
      "/pay/return/:id",
      { schema: { hide: true } },
      async (request, reply) => {
        const { id } = request.params;
        let intent = ID.test(id) ? await findIntentById(deps.ctx.db, id) : undefined;
        if (!intent)
          return reply
            .code(404)
            .type("text/html; charset=utf-8")
            .send("<!doctype html><title>Not found</title><p>Unknown payment.</p>");
        if (
          (intent.status === "requires_action" || intent.status === "processing") &&
          intent.connector_account_id
        ) {
          const reference = authorizeReference(intent.id, intent.authorize_attempts);
          try {
            const call = await callContextFor(deps, intent.connector_account_id);
            const connector = deps.connectors.require(call.account.connector);
            const params = returnParams(request.query);
            const status =
              connector.completeRedirect && intent.connector_transaction_id && Object.keys(params).length > 0
                ? asPaymentStatus(
                    await connector.completeRedirect(call, {
                      connectorReference: intent.connector_transaction_id,
                      reference,
                      params,
                      amount: intent.amount,
                      currency: intent.currency,
                      capture: intent.capture_method === "automatic",
                    }),
                    intent,
                  )
                : await connector.sync(call, {
                    reference,
                    connectorReference: intent.connector_transaction_id,
                  });
            intent = await applyAuthorizationStatus(deps, intent, reference, status, { fromConfirm: false });
          } catch (error) {
            request.log.warn(
              { err: error, payment_intent: id },
              "sync on return failed; the worker will retry",
            );
          }
        }
        const redirectStatus =
          intent.status === "succeeded" || intent.status === "requires_capture"
            ? "succeeded"
            : intent.status === "processing"
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
      },
    );
}
