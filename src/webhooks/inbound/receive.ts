import type { FastifyInstance, FastifyReply } from "fastify";
import type { ConnectorAccountCache } from "../../connectors/account-cache.ts";
import { toConnectorAccount } from "../../connectors/accounts.ts";
import type { ConnectorRegistry } from "../../connectors/registry.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import { type InboundWebhookStatus, json } from "../../db/schema.ts";
import type { AppContext } from "../../http/context.ts";

const HEADER_LIMIT = 40;

function keptHeaders(
  raw: Record<string, string | string[] | undefined>,
  signatureHeaders: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw).slice(0, HEADER_LIMIT)) {
    if (value === undefined) continue;
    if ((name === "authorization" || name === "cookie") && !signatureHeaders.includes(name)) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function answerError(reply: FastifyReply, requestId: string, status: number, code: string, message: string) {
  return reply
    .code(status)
    .type("application/json; charset=utf-8")
    .send(JSON.stringify({ error: { type: "invalid_request_error", code, message, request_id: requestId } }));
}

/**
 * `POST /v1/hooks/<connector>/<connector_account_id>`: every notification, accepted or not, is stored
 * with its exact raw bytes and headers. It is verified by the connector on those bytes, deduplicated by
 * the provider's event id (a unique index) and queued for the worker; the provider gets its 2xx only
 * once the row is committed, so a crash before that makes the provider send it again.
 */
export function inboundWebhookRoute(
  ctx: AppContext,
  connectors: ConnectorRegistry,
  accounts: ConnectorAccountCache,
) {
  return (app: FastifyInstance) =>
    app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
      scope.post<{ Params: { connector: string; account: string } }>(
        "/v1/hooks/:connector/:account",
        {
          schema: {
            summary: "Inbound provider notification (signed by the provider)",
            tags: ["Provider webhooks"],
          },
        },
        async (request, reply) => {
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const now = ctx.clock.now();
          const { connector: connectorId, account: accountId } = request.params;
          const connector = connectors.get(connectorId);
          const headers = keptHeaders(request.headers, connector?.webhookSignatureHeaders);
          const account = connector ? await accounts.get(accountId) : undefined;
          const known = account && account.connector === connectorId ? account : undefined;
          const verified =
            connector && known
              ? await connector.verifyWebhook(toConnectorAccount(known), { rawBody: raw, headers }, now)
              : undefined;

          const store = (
            status: InboundWebhookStatus,
            extra: { failure?: string; providerEventId?: string } = {},
          ) =>
            ctx.db
              .insertInto("inbound_webhooks")
              .values({
                id: ctx.ids.next("ih"),
                connector: connectorId.slice(0, 64),
                connector_account_id: accountId.slice(0, 64),
                merchant_id: known?.merchant_id ?? null,
                raw_body: raw,
                headers: json(headers),
                provider_event_id: extra.providerEventId ?? null,
                status,
                failure: extra.failure ?? null,
                received_at: now,
                next_attempt_at: status === "pending" ? now : null,
                processed_at: status === "duplicate" ? now : null,
              })
              .execute();

          if (!known) {
            await store("rejected", { failure: "unknown_connector_account" });
            return answerError(
              reply,
              request.id,
              404,
              "unknown_connector_account",
              "No such connector account for this webhook URL.",
            );
          }
          if (!verified?.ok) {
            const reason = verified && !verified.ok ? verified.reason : "unverifiable";
            await store("rejected", { failure: `signature_invalid: ${reason}` });
            return answerError(
              reply,
              request.id,
              400,
              "signature_invalid",
              `The notification could not be verified: ${reason}.`,
            );
          }
          const providerEventId = verified.event.providerEventId;
          try {
            await store("pending", { providerEventId });
            ctx.wakeWorker();
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            await store("duplicate", { providerEventId });
          }
          // Each provider expects its own acknowledgement (Adyen retries anything but `[accepted]`).
          const ack = connector?.webhookAcknowledgement ?? {
            contentType: "application/json; charset=utf-8",
            body: '{"received":true}',
          };
          return reply.code(200).type(ack.contentType).send(ack.body);
        },
      );
    });
}
