import type { CheckoutView } from "../../../src/checkout/view-types.ts";
import type { PageApi } from "./api.ts";

type GooglePayConfig = NonNullable<CheckoutView["wallets"]["google_pay"]>;
type ApplePayConfig = NonNullable<CheckoutView["wallets"]["apple_pay"]>;

const GOOGLE_PAY = "https://google.com/pay";
const NETWORKS = ["VISA", "MASTERCARD", "AMEX", "DISCOVER", "JCB"];

/** An integer amount in minor units as the decimal string wallets expect ("18.00"). */
export function decimalAmount(minor: number, currency: string): string {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  const whole = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return minor < 0 ? `-${whole}` : whole;
}

/** Google Pay through the browser's Payment Request API: no third-party script on the page. */
function googlePayRequest(config: GooglePayConfig, view: CheckoutView): PaymentRequest {
  const data = {
    apiVersion: 2,
    apiVersionMinor: 0,
    environment: config.environment,
    merchantInfo: { merchantId: config.merchant_id, merchantName: config.merchant_name },
    allowedPaymentMethods: [
      {
        type: "CARD",
        parameters: { allowedAuthMethods: ["PAN_ONLY", "CRYPTOGRAM_3DS"], allowedCardNetworks: NETWORKS },
        tokenizationSpecification: {
          type: "DIRECT",
          parameters: { protocolVersion: "ECv2", publicKey: config.public_key },
        },
      },
    ],
  };
  const currency = view.intent.currency.toUpperCase();
  return new PaymentRequest([{ supportedMethods: GOOGLE_PAY, data }], {
    total: {
      label: view.merchant.name,
      amount: { currency, value: decimalAmount(view.intent.amount, currency) },
    },
  });
}

interface ApplePaySessionLike {
  begin(): void;
  abort(): void;
  completeMerchantValidation(session: unknown): void;
  completePayment(status: number): void;
  onvalidatemerchant: ((event: { validationURL: string }) => void) | null;
  onpaymentauthorized: ((event: { payment: { token: { paymentData: unknown } } }) => void) | null;
  oncancel: (() => void) | null;
}
interface ApplePaySessionClass {
  new (version: number, request: unknown): ApplePaySessionLike;
  canMakePayments(): boolean;
  STATUS_SUCCESS: number;
  STATUS_FAILURE: number;
}
const applePaySession = (): ApplePaySessionClass | undefined =>
  (window as unknown as { ApplePaySession?: ApplePaySessionClass }).ApplePaySession;

/** Which wallets this browser can really use: Apple Pay only where Safari says so, Google Pay where Chrome does. */
export async function availableWallets(view: CheckoutView): Promise<Set<string>> {
  const available = new Set<string>();
  const apple = applePaySession();
  try {
    if (view.wallets.apple_pay && apple?.canMakePayments()) available.add("apple_pay");
  } catch {
    // Not allowed in this context (an insecure page or a cross-origin frame without permission).
  }
  if (view.wallets.google_pay && typeof PaymentRequest === "function") {
    try {
      if (await googlePayRequest(view.wallets.google_pay, view).canMakePayment()) available.add("google_pay");
    } catch {
      // The browser has no Google Pay.
    }
  }
  return available;
}

/** The confirm body a wallet's sheet produced; throws when the shopper closes it. */
export async function payWithGooglePay(
  view: CheckoutView,
  confirm: (body: Record<string, unknown>) => Promise<CheckoutView>,
): Promise<CheckoutView> {
  const request = googlePayRequest(view.wallets.google_pay as GooglePayConfig, view);
  const response = await request.show();
  const details = response.details as { paymentMethodData?: { tokenizationData?: { token?: string } } };
  const token = details.paymentMethodData?.tokenizationData?.token;
  if (!token) {
    await response.complete("fail");
    throw new Error("Google Pay returned no token");
  }
  try {
    const result = await confirm({ payment_method_data: { type: "google_pay", google_pay: { token } } });
    await response.complete(result.intent.status === "requires_payment_method" ? "fail" : "success");
    return result;
  } catch (error) {
    await response.complete("fail");
    throw error;
  }
}

/** Apple Pay JS: must start inside the click handler; Payrail validates the merchant with Apple. */
export function payWithApplePay(
  view: CheckoutView,
  api: PageApi,
  confirm: (body: Record<string, unknown>) => Promise<CheckoutView>,
): Promise<CheckoutView> {
  const Session = applePaySession() as ApplePaySessionClass;
  const config = view.wallets.apple_pay as ApplePayConfig;
  const currency = view.intent.currency.toUpperCase();
  const session = new Session(3, {
    countryCode: view.country ?? "US",
    currencyCode: currency,
    supportedNetworks: ["visa", "masterCard", "amex", "discover", "jcb"],
    merchantCapabilities: ["supports3DS"],
    total: { label: config.display_name, amount: decimalAmount(view.intent.amount, currency) },
  });
  return new Promise((resolve, reject) => {
    session.onvalidatemerchant = (event) => {
      api
        .post("/apple_pay/session", { validation_url: event.validationURL })
        .then((merchantSession) => session.completeMerchantValidation(merchantSession))
        .catch((error) => {
          session.abort();
          reject(error);
        });
    };
    session.onpaymentauthorized = (event) => {
      confirm({
        payment_method_data: {
          type: "apple_pay",
          apple_pay: { payment_data: event.payment.token.paymentData },
        },
      })
        .then((result) => {
          const failed = result.intent.status === "requires_payment_method";
          session.completePayment(failed ? Session.STATUS_FAILURE : Session.STATUS_SUCCESS);
          resolve(result);
        })
        .catch((error) => {
          session.completePayment(Session.STATUS_FAILURE);
          reject(error);
        });
    };
    session.oncancel = () => reject(new Error("canceled"));
    session.begin();
  });
}
