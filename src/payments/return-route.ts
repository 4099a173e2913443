import type { FastifyInstance } from "fastify";
import { applyAuthorizationStatus, callContextFor, type PaymentsDeps } from "./apply.ts";
import { authorizeReference } from "./outcomes.ts";
import { findIntentById } from "./repo.ts";

const ID = /^pi_[0-9A-Za-z]{10,40}$/;

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
            const status = await deps.connectors
              .require(call.account.connector)
              .sync(call, { reference, connectorReference: intent.connector_transaction_id });
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
