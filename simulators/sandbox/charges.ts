/** Charge operations: create (with the test-card behaviours), capture, void, 3-D Secure completion. */
import {
  cardBehavior,
  DECLINE_MESSAGES,
  type DeclineCode,
  detectBrand,
  isExpired,
  luhnValid,
} from "./cards.ts";
import type { EventType } from "./notifier.ts";
import { apiError, notFound, type OperationContext, type Outcome, ok, unixNow } from "./responses.ts";
import { type Charge, chargeToWire, newId, randomDigits } from "./store.ts";
import { captureSchema, createChargeSchema, validate, voidSchema } from "./validation.ts";

function notify(ctx: OperationContext, charge: Charge, type: EventType): void {
  if (charge.notificationUrl === null) return;
  ctx.notifier.notify({ apiKey: charge.apiKey, url: charge.notificationUrl }, type, chargeToWire(charge));
}

function approve(charge: Charge): void {
  charge.status = charge.capture ? "captured" : "authorized";
  charge.amountCaptured = charge.capture ? charge.amount : 0;
  charge.networkTransactionId = randomDigits(15);
  charge.declineCode = null;
  charge.message = null;
  charge.redirectUrl = null;
}

function decline(charge: Charge, code: DeclineCode): void {
  charge.status = "declined";
  charge.declineCode = code;
  charge.message = DECLINE_MESSAGES[code];
  charge.redirectUrl = null;
}

function settledEvent(charge: Charge): EventType {
  if (charge.status === "declined") return "charge.declined";
  return charge.status === "captured" ? "charge.captured" : "charge.authorized";
}

export function createCharge(ctx: OperationContext, apiKey: string, input: unknown): Outcome {
  const parsed = validate(createChargeSchema, input);
  if (!parsed.ok) return apiError(422, "invalid_request", parsed.message, parsed.param);
  const request = parsed.value;
  if (!luhnValid(request.card.number)) {
    return apiError(422, "invalid_request", "Your card number is invalid.", "card[number]");
  }

  const existing = ctx.store.account(apiKey).chargesByReference.get(request.reference);
  if (existing) return ok(chargeToWire(existing));

  const charge: Charge = {
    id: newId("ch"),
    apiKey,
    reference: request.reference,
    status: "processing",
    amount: request.amount,
    currency: request.currency,
    amountCaptured: 0,
    amountRefunded: 0,
    capture: request.capture,
    declineCode: null,
    message: null,
    redirectUrl: null,
    networkTransactionId: null,
    created: unixNow(ctx.now),
    card: {
      brand: detectBrand(request.card.number),
      last4: request.card.number.slice(-4),
      exp_month: request.card.exp_month,
      exp_year: request.card.exp_year,
    },
    returnUrl: request.return_url,
    notificationUrl: request.notification_url ?? null,
    description: request.description ?? null,
    captureReferences: new Set(),
    voidReference: null,
  };
  ctx.store.addCharge(charge);

  const behavior = isExpired(request.card.exp_month, request.card.exp_year, ctx.now())
    ? ({ kind: "decline", code: "expired_card" } as const)
    : cardBehavior(request.card.number);

  switch (behavior.kind) {
    case "approve":
      approve(charge);
      break;
    case "decline":
      decline(charge, behavior.code);
      break;
    case "three_ds":
      charge.status = "requires_action";
      charge.redirectUrl = `${ctx.baseUrl()}/3ds/${charge.id}`;
      notify(ctx, charge, "charge.requires_action");
      return ok(chargeToWire(charge));
    case "timeout":
      // Only a status query reveals the outcome: no notification, by design of this test card.
      ctx.lifecycle.later(ctx.resolveAfterMs, () => {
        if (charge.status !== "processing") return;
        if (behavior.outcome === "approve") approve(charge);
        else decline(charge, "generic_decline");
      });
      return { kind: "hang_up" };
  }
  notify(ctx, charge, settledEvent(charge));
  return ok(chargeToWire(charge));
}

export function captureCharge(
  ctx: OperationContext,
  apiKey: string,
  chargeId: string,
  input: unknown,
): Outcome {
  const parsed = validate(captureSchema, input);
  if (!parsed.ok) return apiError(422, "invalid_request", parsed.message, parsed.param);
  const { amount, reference } = parsed.value;
  const charge = ctx.store.account(apiKey).charges.get(chargeId);
  if (!charge) return notFound("charge", chargeId);
  if (charge.captureReferences.has(reference)) return ok(chargeToWire(charge));
  if (charge.status !== "authorized") {
    return apiError(409, "charge_not_capturable", `This charge is ${charge.status} and cannot be captured.`);
  }
  const capturable = charge.amount - charge.amountCaptured;
  if (amount > capturable) {
    return apiError(400, "amount_too_large", `At most ${capturable} can still be captured.`, "amount");
  }
  charge.captureReferences.add(reference);
  charge.amountCaptured += amount;
  if ((parsed.value.final ?? true) || charge.amountCaptured === charge.amount) charge.status = "captured";
  notify(ctx, charge, "charge.captured");
  return ok(chargeToWire(charge));
}

export function voidCharge(ctx: OperationContext, apiKey: string, chargeId: string, input: unknown): Outcome {
  const parsed = validate(voidSchema, input);
  if (!parsed.ok) return apiError(422, "invalid_request", parsed.message, parsed.param);
  const charge = ctx.store.account(apiKey).charges.get(chargeId);
  if (!charge) return notFound("charge", chargeId);
  if (charge.voidReference === parsed.value.reference) return ok(chargeToWire(charge));
  if (charge.status !== "authorized" || charge.amountCaptured > 0) {
    const state = charge.amountCaptured > 0 ? "partially captured" : charge.status;
    return apiError(409, "charge_not_voidable", `This charge is ${state} and cannot be voided.`);
  }
  charge.status = "voided";
  charge.voidReference = parsed.value.reference;
  notify(ctx, charge, "charge.voided");
  return ok(chargeToWire(charge));
}

export function getCharge(ctx: OperationContext, apiKey: string, chargeId: string): Outcome {
  const charge = ctx.store.account(apiKey).charges.get(chargeId);
  return charge ? ok(chargeToWire(charge)) : notFound("charge", chargeId);
}

export function listCharges(ctx: OperationContext, apiKey: string, reference: string | null): Outcome {
  if (!reference) return apiError(422, "invalid_request", "reference is required", "reference");
  const charge = ctx.store.account(apiKey).chargesByReference.get(reference);
  return ok({ object: "list", data: charge ? [chargeToWire(charge)] : [] });
}

export type ThreeDsCompletion =
  | { kind: "redirect"; location: string }
  | { kind: "not_found" }
  | { kind: "bad_result" };

/** A repeated submission (double click, back button) changes nothing and redirects again. */
export function completeThreeDs(
  ctx: OperationContext,
  chargeId: string,
  result: string | null,
): ThreeDsCompletion {
  const charge = ctx.store.chargeById(chargeId);
  if (!charge) return { kind: "not_found" };
  if (result !== "approve" && result !== "fail") return { kind: "bad_result" };
  if (charge.status === "requires_action") {
    if (result === "approve") approve(charge);
    else decline(charge, "authentication_failed");
    notify(ctx, charge, settledEvent(charge));
  }
  const location = new URL(charge.returnUrl);
  location.searchParams.append("charge", charge.id);
  return { kind: "redirect", location: location.toString() };
}
