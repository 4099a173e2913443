/**
 * Pure mapping from our requests to Adyen Checkout API v71 request bodies. The bodies hold card data:
 * they go to the HTTP client and nowhere else (never to a log or an error message).
 */
import type {
  AuthorizeRequest,
  CardDetails,
  Money,
  NetworkTokenData,
  StoredCredential,
  WalletTokenAuthorizeRequest,
} from "../contract.ts";

export interface AdyenAmount {
  value: bigint;
  currency: string;
}

export type AdyenPaymentBody = Record<string, unknown> & { reference: string };

/** Metadata key Adyen echoes in the AUTHORISATION webhook as `metadata.payrailCapture`. */
export const CAPTURE_METADATA_KEY = "payrailCapture";

export function adyenAmount(money: Money): AdyenAmount {
  return { value: money.amount, currency: money.currency.toUpperCase() };
}

function expiry(card: CardDetails): { expiryMonth: string; expiryYear: string } {
  const year = card.exp_year < 100 ? 2000 + card.exp_year : card.exp_year;
  return { expiryMonth: String(card.exp_month).padStart(2, "0"), expiryYear: String(year) };
}

function cardPaymentMethod(card: CardDetails): Record<string, string> {
  return {
    type: "scheme",
    number: card.number,
    ...expiry(card),
    ...(card.cvc ? { cvc: card.cvc } : {}),
    ...(card.holder_name ? { holderName: card.holder_name } : {}),
  };
}

/**
 * A wallet token Payrail decrypted itself: the device PAN goes as card details and the wallet's
 * cryptogram as 3-D Secure data (`mpiData.cavv`), authenticated by the wallet (`Y`/`Y`); Adyen is told
 * which wallet it came from with `paymentdatasource.type`. There is no CVC for a device PAN.
 */
function walletParts(card: CardDetails, token: NetworkTokenData) {
  return {
    paymentMethod: {
      type: "scheme",
      number: card.number,
      ...expiry(card),
      ...(card.holder_name ? { holderName: card.holder_name } : {}),
    },
    mpiData: {
      directoryResponse: "Y",
      authenticationResponse: "Y",
      cavv: token.cryptogram,
      ...(token.eci ? { eci: token.eci } : {}),
    },
    additionalData: { "paymentdatasource.type": token.wallet === "apple_pay" ? "applepay" : "googlepay" },
  };
}

/**
 * Card-on-file flags. A shopper-initiated use is `CardOnFile`; a merchant-initiated one (and the first
 * payment that sets it up) is `UnscheduledCardOnFile`. Later payments use `ContAuth`, and a
 * merchant-initiated one quotes the scheme's transaction id of the first.
 */
export function storedCredentialParts(stored: StoredCredential | undefined): {
  fields: Record<string, unknown>;
  additionalData: Record<string, string>;
} {
  if (!stored) return { fields: { shopperInteraction: "Ecommerce" }, additionalData: {} };
  const recurringProcessingModel = stored.initiator === "merchant" ? "UnscheduledCardOnFile" : "CardOnFile";
  if (stored.sequence === "first") {
    // No storePaymentMethod: Adyen keeps a token only with a shopperReference (and refuses the flag
    // without one), and Payrail vaults the card itself. The flags mark the first card-on-file
    // transaction, whose networkTxReference later merchant-initiated payments quote.
    return { fields: { shopperInteraction: "Ecommerce", recurringProcessingModel }, additionalData: {} };
  }
  const additionalData: Record<string, string> =
    stored.initiator === "merchant" && stored.networkTransactionId
      ? { networkTxReference: stored.networkTransactionId }
      : {};
  return { fields: { shopperInteraction: "ContAuth", recurringProcessingModel }, additionalData };
}

/** What every /payments request carries, whatever pays: a card, a decrypted wallet, a wallet token. */
type PaymentCommon = Omit<AuthorizeRequest, "card" | "networkToken" | "storedCredential">;

interface MethodParts {
  paymentMethod: Record<string, unknown>;
  mpiData?: Record<string, string>;
  fields: Record<string, unknown>;
  additionalData: Record<string, string>;
}

function paymentBody(request: PaymentCommon, merchantAccount: string, method: MethodParts): AdyenPaymentBody {
  const additionalData: Record<string, string> = {
    ...(request.capture ? {} : { manualCapture: "true" }),
    ...method.additionalData,
  };
  return {
    merchantAccount,
    reference: request.reference,
    amount: adyenAmount(request),
    paymentMethod: method.paymentMethod,
    ...(method.mpiData ? { mpiData: method.mpiData } : {}),
    returnUrl: request.returnUrl,
    ...method.fields,
    ...(Object.keys(additionalData).length > 0 ? { additionalData } : {}),
    // The shopper's browser goes to the issuer and comes back by GET: Payrail's return route is a GET
    // page, and a GET redirect is a plain URL the checkout can open.
    redirectToIssuerMethod: "GET",
    redirectFromIssuerMethod: "GET",
    metadata: { [CAPTURE_METADATA_KEY]: request.capture ? "automatic" : "manual" },
  };
}

export function paymentRequestBody(request: AuthorizeRequest, merchantAccount: string): AdyenPaymentBody {
  const stored = storedCredentialParts(request.storedCredential);
  const wallet = request.networkToken ? walletParts(request.card, request.networkToken) : undefined;
  return paymentBody(request, merchantAccount, {
    paymentMethod: wallet?.paymentMethod ?? cardPaymentMethod(request.card),
    ...(wallet ? { mpiData: wallet.mpiData } : {}),
    fields: stored.fields,
    additionalData: { ...stored.additionalData, ...wallet?.additionalData },
  });
}

/**
 * Google Pay in PAYMENT_GATEWAY mode: the token (tokenizationData.token, a JSON string) is encrypted
 * for `gateway:adyen`, so it goes to Adyen as it is, in GooglePayDetails' `googlePayToken`.
 */
export function walletTokenRequestBody(
  request: WalletTokenAuthorizeRequest,
  merchantAccount: string,
): AdyenPaymentBody {
  return paymentBody(request, merchantAccount, {
    paymentMethod: { type: "googlepay", googlePayToken: request.walletToken.token },
    fields: storedCredentialParts(undefined).fields,
    additionalData: {},
  });
}

export function modificationBody(
  merchantAccount: string,
  request: { reference: string } & Partial<Money>,
): Record<string, unknown> & { reference: string } {
  return {
    merchantAccount,
    reference: request.reference,
    ...(request.amount !== undefined && request.currency !== undefined
      ? { amount: adyenAmount({ amount: request.amount, currency: request.currency }) }
      : {}),
  };
}
