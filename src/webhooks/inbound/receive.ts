import type { FastifyInstance } from "fastify";
import { toConnectorAccount } from "../../connectors/accounts.ts";
import type { ConnectorRegistry } from "../../connectors/registry.ts";
import { json } from "../../db/schema.ts";
import type { AppContext } from "../../http/context.ts";

const HEADER_LIMIT = 40;

function keptHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw).slice(0, HEADER_LIMIT)) {
    if (name === "authorization" || name === "cookie" || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "23505";
}

/**
 * `POST /v1/hooks/<connector>/<connector_account_id>`: the raw body is stored before anything else,
 * then verified by the connector on those exact bytes, deduplicated by the provider's event id and
 * queued for the worker. The provider gets its 2xx as soon as the notification is safely stored.
 */
export function inboundWebhookRoute(ctx: AppContext, connectors: ConnectorRegistry) {
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
          const headers = keptHeaders(request.headers);
          const now = ctx.clock.now();
          const id = ctx.ids.next("ih");
          const { connector: connectorId, account: accountId } = request.params;
          await ctx.db
            .insertInto("inbound_webhooks")
            .values({
              id,
              connector: connectorId.slice(0, 64),
              connector_account_id: accountId.slice(0, 64),
              merchant_id: null,
              raw_body: raw,
              headers: json(headers),
              provider_event_id: null,
              status: "received",
              failure: null,
              received_at: now,
            })
            .execute();
          const reject = async (status: number, code: string, message: string) => {
            await ctx.db
              .updateTable("inbound_webhooks")
              .set({ status: "rejected", failure: code })
              .where("id", "=", id)
              .execute();
            return reply
              .code(status)
              .type("application/json; charset=utf-8")
              .send(
                JSON.stringify({
                  error: { type: "invalid_request_error", code, message, request_id: request.id },
                }),
              );
          };
          const connector = connectors.get(connectorId);
          const accountRow = connector
            ? await ctx.db
                .selectFrom("connector_accounts")
                .selectAll()
                .where("id", "=", accountId)
                .where("connector", "=", connectorId)
                .executeTakeFirst()
            : undefined;
          if (!connector || !accountRow)
            return reject(
              404,
              "unknown_connector_account",
              "No such connector account for this webhook URL.",
            );
          const verified = await connector.verifyWebhook(
            toConnectorAccount(accountRow),
            { rawBody: raw, headers },
            now,
          );
          if (!verified.ok)
            return reject(
              400,
              "signature_invalid",
              `The notification could not be verified: ${verified.reason}.`,
            );
          try {
            await ctx.db
              .updateTable("inbound_webhooks")
              .set({
                status: "pending",
                merchant_id: accountRow.merchant_id,
                provider_event_id: verified.event.providerEventId,
                next_attempt_at: now,
              })
              .where("id", "=", id)
              .execute();
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            await ctx.db
              .updateTable("inbound_webhooks")
              .set({
                status: "duplicate",
                merchant_id: accountRow.merchant_id,
                provider_event_id: verified.event.providerEventId,
                processed_at: now,
              })
              .where("id", "=", id)
              .execute();
          }
          ctx.wakeWorker();
          return reply.code(200).type("application/json; charset=utf-8").send('{"received":true}');
        },
      );
    });
}
