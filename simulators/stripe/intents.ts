/** PaymentIntent create, confirm, retrieve and list. */
import { attemptPayment, emitIntent } from "./authorize.ts";
import { type Call, type SimContext, unixNow } from "./context.ts";
import { paginate } from "./lists.ts";
import { invalidParam, invalidState, notFound, type Outcome, ok } from "./outcomes.ts";
import type { Params } from "./params.ts";
import { choosePaymentMethod } from "./payment-methods.ts";
import type { IntentStatus, PaymentIntentRecord } from "./store.ts";
import { paymentIntentWire } from "./wire.ts";

type Fields = Record<string, unknown>;
const fields = (value: unknown): Fields | undefined =>
  typeof value === "object" && value !== null ? (value as Fields) : undefined;
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** Stripe's minimum charge amounts, in minor units, for the currencies it lists; others take 1. */
const MINIMUM_AMOUNT: Readonly<Record<string, number>> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  aud: 50,
  cad: 50,
  chf: 50,
  nzd: 50,
  sgd: 50,
  brl: 50,
  inr: 50,
  jpy: 50,
  hkd: 400,
  dkk: 250,
  nok: 300,
  sek: 300,
  pln: 200,
  czk: 1500,
  huf: 17500,
  mxn: 1000,
  ron: 200,
  bgn: 100,
  thb: 1000,
  myr: 200,
  aed: 200,
};
const MAXIMUM_AMOUNT = 99_999_999;
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency").map((code) => code.toLowerCase()));

/** Parameters in the spec that need objects the simulator does not model (customers, Connect, mandates). */
const UNSUPPORTED = [
  "customer",
  "on_behalf_of",
  "transfer_data",
  "application_fee_amount",
  "mandate",
  "mandate_data",
];

function formatAmount(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  } catch {
    return String(amount);
  }
}

function unsupported(params: Params): Outcome | null {
  const name = UNSUPPORTED.find((key) => params[key] !== undefined);
  if (!name) return null;
  return invalidParam(`The Stripe simulator does not support the parameter ${name}.`, name);
}

function checkAmount(amount: number, currency: string): Outcome | null {
  if (!KNOWN_CURRENCIES.has(currency)) return invalidParam(`Invalid currency: ${currency}.`, "currency");
  const minimum = MINIMUM_AMOUNT[currency] ?? 1;
  if (amount < minimum) {
    const message = `Amount must be at least ${formatAmount(minimum, currency)} ${currency}`;
    return invalidParam(message, "amount", "amount_too_small");
  }
  if (amount > MAXIMUM_AMOUNT) {
    const message = `Amount must be no more than ${formatAmount(MAXIMUM_AMOUNT, currency)}`;
    return invalidParam(message, "amount", "amount_too_large");
  }
  return null;
}

function checkTypes(types: unknown): Outcome | null {
  if (!Array.isArray(types)) return null;
  const other = types.find((type) => type !== "card");
  if (other === undefined) return null;
  return invalidParam(
    `The payment method type "${String(other)}" is not supported by the Stripe simulator.`,
    "payment_method_types",
    "payment_intent_invalid_parameter",
  );
}

const CONFIRM_ONLY = ["return_url", "off_session", "error_on_requires_action"] as const;

/** Options that create (with `confirm=true`) and confirm share. */
function applyConfirmOptions(intent: PaymentIntentRecord, params: Params): void {
  if (params.return_url !== undefined) intent.returnUrl = text(params.return_url);
  if (params.off_session !== undefined) intent.offSession = params.off_session !== false;
  if (params.error_on_requires_action !== undefined)
    intent.errorOnRequiresAction = params.error_on_requires_action === true;
  if (params.setup_future_usage !== undefined) intent.setupFutureUsage = text(params.setup_future_usage);
  if (params.receipt_email !== undefined) intent.receiptEmail = text(params.receipt_email);
  if (params.shipping !== undefined) intent.shipping = fields(params.shipping) ?? null;
  const card = fields(fields(params.payment_method_options)?.card);
  if (!card) return;
  if (card.request_three_d_secure !== undefined) {
    intent.cardOptions.requestThreeDSecure = card.request_three_d_secure === "any" ? "any" : "automatic";
  }
  if (card.capture_method !== undefined)
    intent.cardOptions.captureMethod = card.capture_method === "manual" ? "manual" : null;
  const token = fields(card.network_token);
  if (token) {
    intent.cardOptions.networkToken = text(token.cryptogram)
      ? { eci: text(token.electronic_commerce_indicator) }
      : null;
  }
  const exemption = fields(card.mit_exemption);
  if (exemption) intent.cardOptions.mitNetworkTransactionId = text(exemption.network_transaction_id);
}

function find(call: Call): PaymentIntentRecord | Outcome {
  const id = call.path.intent ?? "";
  return call.account.intents.get(id) ?? notFound("payment_intent", id, "intent");
}

export function unexpectedState(
  intent: PaymentIntentRecord,
  action: string,
  allowed: IntentStatus[],
): Outcome {
  return invalidState(
    `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}. ` +
      `Only a PaymentIntent with one of the following statuses may be ${action === "capture" ? "captured" : `${action}ed`}: ${allowed.join(", ")}.`,
    "payment_intent_unexpected_state",
    { payment_intent: paymentIntentWire(intent) },
  );
}

const CONFIRMABLE: IntentStatus[] = ["requires_payment_method", "requires_confirmation", "requires_action"];

function confirm(ctx: SimContext, call: Call, intent: PaymentIntentRecord, params: Params): Outcome {
  if (!CONFIRMABLE.includes(intent.status)) return unexpectedState(intent, "confirm", CONFIRMABLE);
  const choice = choosePaymentMethod(ctx, call, params);
  if (choice.kind === "refused") return choice.outcome;
  if (choice.kind === "chosen") intent.paymentMethodId = choice.paymentMethod.id;
  const pm = intent.paymentMethodId ? call.account.paymentMethods.get(intent.paymentMethodId) : undefined;
  if (!pm) {
    return invalidState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. Update the PaymentIntent " +
        "with a payment method and then confirm it again.",
      "payment_intent_unexpected_state",
      { payment_intent: paymentIntentWire(intent) },
    );
  }
  applyConfirmOptions(intent, params);
  intent.challengeToken = null;
  intent.lastPaymentError = null;
  return attemptPayment(ctx, call.account, intent, pm, call.request);
}

export function createIntent(ctx: SimContext, call: Call): Outcome {
  const { params } = call;
  const currency = String(params.currency).toLowerCase();
  const amount = params.amount as number;
  const refused =
    unsupported(params) ?? checkAmount(amount, currency) ?? checkTypes(params.payment_method_types);
  if (refused) return refused;
  if (params.confirm !== true) {
    const confirmOnly = CONFIRM_ONLY.find((name) => params[name] !== undefined);
    if (confirmOnly) return invalidParam(`You can only pass ${confirmOnly} when confirm=true.`, confirmOnly);
  }
  const choice = choosePaymentMethod(ctx, call, params);
  if (choice.kind === "refused") return choice.outcome;

  const id = ctx.ids.id("pi");
  const intent: PaymentIntentRecord = {
    id,
    created: unixNow(ctx),
    clientSecret: `${id}_secret_${ctx.ids.base62(25)}`,
    amount: BigInt(amount),
    currency,
    status: choice.kind === "chosen" ? "requires_confirmation" : "requires_payment_method",
    captureMethod: params.capture_method === "manual" ? "manual" : "automatic",
    confirmationMethod: params.confirmation_method === "manual" ? "manual" : "automatic",
    description: text(params.description),
    metadata: { ...(fields(params.metadata) as Record<string, string> | undefined) },
    paymentMethodId: choice.kind === "chosen" ? choice.paymentMethod.id : null,
    paymentMethodTypes: Array.isArray(params.payment_method_types)
      ? (params.payment_method_types as string[])
      : ["card"],
    setupFutureUsage: null,
    returnUrl: null,
    offSession: false,
    errorOnRequiresAction: false,
    receiptEmail: null,
    statementDescriptor: text(params.statement_descriptor),
    statementDescriptorSuffix: text(params.statement_descriptor_suffix),
    shipping: null,
    transferGroup: text(params.transfer_group),
    automaticPaymentMethods: fields(params.automatic_payment_methods)
      ? { enabled: fields(params.automatic_payment_methods)?.enabled === true }
      : null,
    amountCapturable: 0n,
    amountReceived: 0n,
    canceledAt: null,
    cancellationReason: null,
    lastPaymentError: null,
    nextAction: null,
    latestChargeId: null,
    cardOptions: {
      requestThreeDSecure: "automatic",
      captureMethod: null,
      networkToken: null,
      mitNetworkTransactionId: null,
    },
    challengeToken: null,
  };
  applyConfirmOptions(intent, params);
  call.account.intents.set(intent.id, intent);
  emitIntent(ctx, call.account, intent, "created", call.request);
  if (params.confirm === true) return confirm(ctx, call, intent, {});
  return ok(paymentIntentWire(intent));
}

export function confirmIntent(ctx: SimContext, call: Call): Outcome {
  const found = find(call);
  return "kind" in found ? found : confirm(ctx, call, found, call.params);
}

export function retrieveIntent(_ctx: SimContext, call: Call): Outcome {
  const found = find(call);
  return "kind" in found ? found : ok(paymentIntentWire(found));
}

export function listIntents(_ctx: SimContext, call: Call): Outcome {
  const customer = call.params.customer;
  return paginate({
    items: call.account.intents.values(),
    params: call.params,
    url: "/v1/payment_intents",
    what: "payment_intent",
    render: paymentIntentWire,
    keep: () => customer === undefined,
  });
}

export { find as findIntent };
