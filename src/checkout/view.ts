import { negotiateLocale, parseAcceptLanguage } from "../../web/checkout/src/i18n/index.ts";
import type { ConnectorAccountCache } from "../connectors/account-cache.ts";
import { toConnectorAccount } from "../connectors/accounts.ts";
import type { ConnectorRegistry } from "../connectors/registry.ts";
import type { CheckoutSessionRow, PaymentIntentRow } from "../db/schema.ts";
import type { FxService } from "../fx/service.ts";
import type { AppContext } from "../http/context.ts";
import type { PasskeyService } from "../passkeys/service.ts";
import type { PaymentService } from "../payments/service.ts";
import type { WalletService } from "../wallet-payments/service.ts";
import { shopperErrorMessage } from "./messages.ts";
import { detectDevice, inAppOf, orderMethods, shopperCountry } from "./method-order.ts";
import { sessionState } from "./sessions.ts";
import {
  CHECKOUT_LOCALES,
  CHECKOUT_METHOD_TYPES,
  type CheckoutIntentStatus,
  type CheckoutLocale,
  type CheckoutMethodType,
  type CheckoutView,
} from "./view-types.ts";

export interface PageApiDeps {
  ctx: AppContext;
  payments: PaymentService;
  accounts: ConnectorAccountCache;
  connectors: ConnectorRegistry;
  passkeys: PasskeyService;
  wallets: WalletService;
  fx: FxService;
}

/** Methods the merchant's enabled accounts can take for this intent (before fitting and ordering). */
async function enabledMethods(
  deps: PageApiDeps,
  intent: PaymentIntentRow,
  country: string | null,
): Promise<CheckoutMethodType[]> {
  const accounts = await deps.accounts.enabledFor(intent.merchant_id, intent.livemode);
  const offered = new Set<string>();
  for (const account of accounts) {
    const connector = deps.connectors.get(account.connector);
    const caps = connector?.capabilities;
    if (!caps) continue;
    // An account that must not serve this shopper (crypto outside its allowed countries) offers nothing.
    if (connector.refusesShopper?.(toConnectorAccount(account), { country: country ?? undefined })) continue;
    if (caps.currencies !== "*" && !caps.currencies.includes(intent.currency)) continue;
    if (account.currencies && !account.currencies.includes(intent.currency)) continue;
    for (const method of caps.paymentMethods)
      if (!account.payment_methods || account.payment_methods.includes(method)) offered.add(method);
  }
  // Apple Pay and Google Pay hand over cards: whoever processes cards processes them.
  if (offered.has("card")) {
    offered.add("apple_pay");
    offered.add("google_pay");
  }
  const allowed = intent.payment_method_types;
  return CHECKOUT_METHOD_TYPES.filter((m) => offered.has(m) && (!allowed || allowed.includes(m)));
}

export interface ShopperContext {
  userAgent?: string | undefined;
  acceptLanguage?: string | undefined;
  countryHeader?: string | undefined;
  /** `?locale=` or the session's locale; "auto" or absent: from Accept-Language. */
  requestedLocale?: string | undefined;
}

export function pickLocale(
  requested: string | undefined,
  acceptLanguage: string | undefined,
): CheckoutLocale {
  if (requested && (CHECKOUT_LOCALES as readonly string[]).includes(requested))
    return requested as CheckoutLocale;
  return negotiateLocale(parseAcceptLanguage(acceptLanguage));
}

function shopperStatus(status: string): CheckoutIntentStatus {
  // A payment waiting for a person's review is, to the shopper, still being confirmed.
  return (status === "requires_review" ? "processing" : status) as CheckoutIntentStatus;
}

export async function buildView(
  deps: PageApiDeps,
  intent: PaymentIntentRow,
  session: CheckoutSessionRow | undefined,
  shopper: ShopperContext,
): Promise<CheckoutView> {
  const { ctx } = deps;
  const locale = pickLocale(
    shopper.requestedLocale ?? (session?.locale !== "auto" ? session?.locale : undefined),
    shopper.acceptLanguage,
  );
  const merchant = await ctx.db
    .selectFrom("merchants")
    .select("name")
    .where("id", "=", intent.merchant_id)
    .executeTakeFirstOrThrow();
  const device = detectDevice(shopper.userAgent);
  const country = shopperCountry({
    countryHeader: shopper.countryHeader,
    acceptLanguage: shopper.acceptLanguage,
    sessionCountry: session?.shopper_country ?? null,
  });
  const methods = orderMethods({
    enabled: await enabledMethods(deps, intent, country),
    currency: intent.currency,
    amount: Number(intent.amount),
    country,
    device,
    inApp: inAppOf(shopper.userAgent),
    merchantOrder: (session?.method_order as CheckoutMethodType[] | null) ?? null,
  });
  const error = intent.last_payment_error as { code?: string; decline_code?: string } | null;
  const methodType = intent.payment_method_type ?? null;
  let customer: CheckoutView["customer"] = null;
  if (intent.customer_id) {
    const cards = await ctx.db
      .selectFrom("payment_methods")
      .select(["id", "card"])
      .where("merchant_id", "=", intent.merchant_id)
      .where("customer_id", "=", intent.customer_id)
      .where("livemode", "=", intent.livemode)
      .where("attached_at", "is not", null)
      .orderBy("attached_at", "desc")
      .limit(10)
      .execute();
    customer = {
      id: intent.customer_id,
      saved_cards: cards.map((c) => ({
        id: c.id,
        brand: c.card.brand,
        last4: c.card.last4,
        exp_month: c.card.exp_month,
        exp_year: c.card.exp_year,
      })),
      has_passkey: await deps.passkeys.hasPasskey(intent.merchant_id, intent.customer_id),
    };
  }
  const walletConfig = methods.some((m) => m.flow === "wallet")
    ? await deps.wallets.describe({
        merchantId: intent.merchant_id,
        livemode: intent.livemode,
        keyKind: "publishable",
        keyId: "client_secret",
      })
    : undefined;
  const google = walletConfig?.google_pay as {
    configured: boolean;
    recipient_id?: string;
    public_keys?: string[];
  };
  const apple = walletConfig?.apple_pay as {
    configured: boolean;
    merchant_identifier?: string;
    display_name?: string;
  };
  const wallets: CheckoutView["wallets"] = {
    google_pay:
      google?.configured && google.recipient_id && google.public_keys?.[0]
        ? {
            environment: intent.livemode ? "PRODUCTION" : "TEST",
            merchant_id: google.recipient_id.replace(/^merchant:/, ""),
            merchant_name: merchant.name,
            public_key: google.public_keys[0],
          }
        : null,
    apple_pay:
      apple?.configured && apple.merchant_identifier
        ? {
            merchant_identifier: apple.merchant_identifier,
            display_name: apple.display_name ?? merchant.name,
          }
        : null,
  };
  return {
    intent: {
      id: intent.id,
      status: shopperStatus(intent.status),
      amount: Number(intent.amount),
      currency: intent.currency,
      next_action: (intent.next_action as CheckoutView["intent"]["next_action"]) ?? null,
      last_payment_error: error
        ? {
            code: error.code ?? "card_declined",
            decline_code: error.decline_code ?? null,
            message: shopperErrorMessage(locale, error, methodType),
          }
        : null,
      cancellation_reason: intent.cancellation_reason,
      payment_method_type: methodType,
    },
    session: session
      ? {
          id: session.id,
          status: sessionState(session, intent.status, ctx.clock.now()).status,
          success_url: session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id),
          cancel_url: session.cancel_url,
          expires_at: Math.floor(session.expires_at.getTime() / 1000),
          line_items: session.line_items.map((i) => ({
            name: i.name,
            quantity: i.quantity,
            amount: Number(i.amount),
          })),
        }
      : null,
    merchant: { name: merchant.name },
    livemode: intent.livemode,
    locale,
    // A wallet the merchant has not set up is not offered.
    methods: methods.filter(
      (m) => m.flow !== "wallet" || wallets[m.type as "google_pay" | "apple_pay"] !== null,
    ),
    device,
    country,
    customer,
    display_currencies: session?.display_currencies ?? [],
    wallets,
  };
}
