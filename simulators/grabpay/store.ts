/** In-memory state of one simulator instance. Amounts are bigint minor units. */

export interface Partner {
  partnerId: string;
  partnerSecret: string;
  clientId: string;
  clientSecret: string;
  merchantId: string;
  redirectUris: string[];
  /** Where payment and refund notifications go; none are sent without it. */
  webhookUrl: string | null;
}

/** What the shopper did on the consent page, or what the clock did. */
export type ChargeState = "awaiting_consent" | "success" | "failed";

export interface Charge {
  partner: Partner;
  partnerTxID: string;
  partnerGroupTxID: string;
  merchantID: string;
  amount: bigint;
  currency: string;
  description: string;
  txID: string;
  request: string;
  /** Canonical JSON of the init body: the same init again replays, another body is a conflict. */
  fingerprint: string;
  createdAt: Date;
  expiresAt: Date;
  state: ChargeState;
  reason: string;
  paidAt: Date | null;
  /** Set by `charge/complete`. */
  completedAt: Date | null;
  oAuthCode: string | null;
  refunded: bigint;
  hidePaymentMethods: string[];
  /** Chosen by the shopper on the consent page; empty until then. */
  paymentMethod: string;
}

export interface Refund {
  partner: Partner;
  charge: Charge;
  partnerTxID: string;
  partnerGroupTxID: string;
  amount: bigint;
  currency: string;
  description: string;
  echo: string | null;
  txID: string;
  fingerprint: string;
  createdAt: Date;
}

export interface ConsentSession {
  id: string;
  charge: Charge;
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
  scope: string;
  done: boolean;
}

export interface AuthorizationCode {
  code: string;
  charge: Charge;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string;
  scope: string;
  expiresAt: Date;
  used: boolean;
}

export interface AccessToken {
  token: string;
  charge: Charge;
  partner: Partner;
  expiresAt: Date;
}

export function createStore() {
  const partners = new Map<string, Partner>();
  const partnersByClient = new Map<string, Partner>();
  const charges = new Map<string, Charge>();
  const chargesByTxID = new Map<string, Charge>();
  const refunds = new Map<string, Refund>();
  const sessions = new Map<string, ConsentSession>();
  const codes = new Map<string, AuthorizationCode>();
  const tokens = new Map<string, AccessToken>();
  const key = (partnerId: string, partnerTxID: string) => `${partnerId}\u0000${partnerTxID}`;

  return {
    putPartner(partner: Partner): void {
      const previous = partners.get(partner.partnerId);
      if (previous) partnersByClient.delete(previous.clientId);
      partners.set(partner.partnerId, partner);
      partnersByClient.set(partner.clientId, partner);
    },
    partner: (partnerId: string) => partners.get(partnerId),
    partnerByClient: (clientId: string) => partnersByClient.get(clientId),

    putCharge(charge: Charge): void {
      charges.set(key(charge.partner.partnerId, charge.partnerTxID), charge);
      chargesByTxID.set(charge.txID, charge);
    },
    charge: (partnerId: string, partnerTxID: string) => charges.get(key(partnerId, partnerTxID)),
    chargeByTxID: (txID: string) => chargesByTxID.get(txID),
    allCharges: () => [...charges.values()],

    putRefund(refund: Refund): void {
      refunds.set(key(refund.partner.partnerId, refund.partnerTxID), refund);
    },
    refund: (partnerId: string, partnerTxID: string) => refunds.get(key(partnerId, partnerTxID)),
    allRefunds: () => [...refunds.values()],

    putSession: (session: ConsentSession) => sessions.set(session.id, session),
    session: (id: string) => sessions.get(id),
    putCode: (code: AuthorizationCode) => codes.set(code.code, code),
    code: (code: string) => codes.get(code),
    putToken: (token: AccessToken) => tokens.set(token.token, token),
    token: (token: string) => tokens.get(token),
  };
}

export type Store = ReturnType<typeof createStore>;
