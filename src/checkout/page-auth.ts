import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { ApiError } from "../core/errors.ts";
import type { PaymentIntentRow } from "../db/schema.ts";
import type { AppContext, AuthContext } from "../http/context.ts";

export const CLIENT_SECRET_HEADER = "payrail-client-secret";

const forbidden = () =>
  new ApiError(403, {
    type: "permission_error",
    code: "client_secret_invalid",
    message: "This page's payment link is not valid. Return to the shop and start the payment again.",
  });

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The page acts for one intent, with that intent's client secret as its only credential. */
export async function intentForSecret(
  ctx: AppContext,
  intentId: string,
  secret: string | undefined,
): Promise<{ auth: AuthContext; intent: PaymentIntentRow }> {
  if (!secret || !/^pi_[0-9A-Za-z]+$/.test(intentId)) throw forbidden();
  const intent = await ctx.db
    .selectFrom("payment_intents")
    .selectAll()
    .where("id", "=", intentId)
    .executeTakeFirst();
  if (!intent || !sameSecret(intent.client_secret, secret)) throw forbidden();
  return {
    auth: {
      merchantId: intent.merchant_id,
      livemode: intent.livemode,
      keyKind: "publishable",
      keyId: "client_secret",
    },
    intent,
  };
}

export const intentParams = z.strictObject({ id: z.string().regex(/^pi_[0-9A-Za-z]+$/, "must be a pi_ id") });
export async function sessionOf(ctx: AppContext, intent: PaymentIntentRow) {
  return ctx.db
    .selectFrom("checkout_sessions")
    .selectAll()
    .where("payment_intent_id", "=", intent.id)
    .where("merchant_id", "=", intent.merchant_id)
    .executeTakeFirst();
}

/** The route option that turns the client secret header into the merchant scope of one intent. */
export function pageAuthenticator(ctx: AppContext) {
  return async (request: FastifyRequest) => {
    const secret = request.headers[CLIENT_SECRET_HEADER];
    const { id } = request.params as { id: string };
    return (await intentForSecret(ctx, id, typeof secret === "string" ? secret : undefined)).auth;
  };
}
