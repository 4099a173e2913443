import { z } from "zod";
import { ApiError } from "../core/errors.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { defineRoute } from "../http/route.ts";
import { intentParams, pageAuthenticator } from "./page-auth.ts";
import { passkeyRelyingParty } from "./passkey-rp.ts";
import type { PageApiDeps } from "./view.ts";

export /** The browser's PublicKeyCredential as JSON; @simplewebauthn/server checks every field inside. */
const webauthnResponse = z.looseObject({
  id: z.string().min(1).max(1400),
  rawId: z.string().min(1).max(1400),
  type: z.literal("public-key"),
  response: z.looseObject({}),
});

const passkeyRegistrationBody = z.strictObject({
  challenge_id: z.string().regex(/^pkch_[0-9A-Za-z]+$/, "must be a pkch_ id"),
  response: webauthnResponse,
});

export function passkeyRelyingPartyOf(ctx: AppContext) {
  const rp = passkeyRelyingParty(ctx.config, ctx.publicUrl());
  return { id: rp.id, name: rp.name, origin: rp.origins };
}

/** Passkeys for one-click repurchase: created after a successful card payment, used instead of the CVC. */
export function pagePasskeyRoutes(deps: PageApiDeps) {
  const { ctx } = deps;
  const authenticate = pageAuthenticator(ctx);
  const relyingParty = () => passkeyRelyingPartyOf(ctx);
  const customerOf = async (auth: AuthContext, id: string, purpose: "register" | "authenticate") => {
    const intent = await deps.payments.get(auth, id);
    if (!intent.customer_id)
      throw new ApiError(400, {
        type: "invalid_request_error",
        code: "customer_required",
        message: "Passkeys are for signed-in customers: this payment has no customer.",
      });
    if (purpose === "register" && intent.status !== "succeeded" && intent.status !== "requires_capture")
      throw new ApiError(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: "A passkey is offered after a successful payment.",
      });
    return { intent, customerId: intent.customer_id };
  };
  return [
    defineRoute({
      method: "POST",
      url: "/pay/api/intents/:id/passkeys/registration-options",
      summary: "After a successful payment: options to create a passkey for one-click payments next time",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      body: z.strictObject({}),
      async handler(input) {
        const { customerId } = await customerOf(input.auth, input.params.id, "register");
        const customer = await ctx.db
          .selectFrom("customers")
          .select(["email", "name"])
          .where("id", "=", customerId)
          .where("merchant_id", "=", input.auth.merchantId)
          .executeTakeFirstOrThrow();
        const rp = relyingParty();
        const { challengeId, options } = await deps.passkeys.registrationOptions({
          merchantId: input.auth.merchantId,
          livemode: input.auth.livemode,
          customerId,
          userName: customer.email ?? customerId,
          userDisplayName: customer.name ?? customer.email ?? "",
          rp: { id: rp.id, name: rp.name },
        });
        return { body: { challenge_id: challengeId, options } };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/pay/api/intents/:id/passkeys/registrations",
      summary: "Save the passkey the shopper just created",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      body: passkeyRegistrationBody,
      async handler(input) {
        const { customerId } = await customerOf(input.auth, input.params.id, "register");
        const { passkeyId } = await deps.passkeys.verifyRegistration({
          merchantId: input.auth.merchantId,
          livemode: input.auth.livemode,
          customerId,
          challengeId: input.body.challenge_id,
          response: input.body.response as never,
          rp: relyingParty(),
        });
        return { body: { object: "passkey", id: passkeyId, registered: true } };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/pay/api/intents/:id/passkeys/authentication-options",
      summary: "Options to confirm a saved-card payment with the customer's passkey",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      body: z.strictObject({}),
      async handler(input) {
        const { customerId } = await customerOf(input.auth, input.params.id, "authenticate");
        const { challengeId, options } = await deps.passkeys.authenticationOptions({
          merchantId: input.auth.merchantId,
          customerId,
          rpId: relyingParty().id,
        });
        return { body: { challenge_id: challengeId, options } };
      },
    }),
  ];
}
