import { ApiError, invalidRequest, notFound } from "../core/errors.ts";
import { allocate } from "../core/money.ts";
import type { Db } from "../db/index.ts";
import { json } from "../db/schema.ts";
import type { FxService } from "../fx/service.ts";
import type { AuthContext } from "../http/context.ts";
import { holderOf } from "./books.ts";
import { type FeeRules, SURCHARGE_BANNED_COUNTRIES, totalFees } from "./fees.ts";
import { findConnected, loadHolder } from "./holders.ts";
import { rateText } from "./payment-shape.ts";

export type SplitInput = { destination: string; amount?: number | undefined; percent?: number | undefined };

export interface PaymentTermsInput {
  /** What the goods cost, in the presentment currency (before any surcharge). */
  amount: bigint;
  currency: string;
  paymentMethodType: string;
  connector: string | null;
  application_fee_amount?: number | undefined;
  transfer_data?: { destination: string } | undefined;
  splits?: SplitInput[] | undefined;
}

/** Columns of a new intent that say whose money it is and how it is paid out. */
export interface PaymentTerms {
  amount: bigint;
  surcharge_amount: bigint;
  application_fee_amount: bigint | null;
  transfer_destination: string | null;
  splits: string | null;
  fx_quote_id: string | null;
  settlement_currency: string | null;
  settlement_rate: string | null;
  settlement_reference_rate: string | null;
}

export const NO_TERMS = (amount: bigint): PaymentTerms => ({
  amount,
  surcharge_amount: 0n,
  application_fee_amount: null,
  transfer_destination: null,
  splits: null,
  fx_quote_id: null,
  settlement_currency: null,
  settlement_rate: null,
  settlement_reference_rate: null,
});

/** Percentages with up to two decimals become whole hundredths, so they can be weights. */
function hundredths(percent: number, param: string): bigint {
  const scaled = Math.round(percent * 100);
  if (percent <= 0 || percent > 100 || Math.abs(scaled - percent * 100) > 1e-6) {
    throw invalidRequest("A split percent is above 0, at most 100, with at most two decimals.", param);
  }
  return BigInt(scaled);
}

export function createPaymentTerms(deps: { fees: FeeRules; fx?: FxService | undefined; now: () => Date }) {
  async function requireConnected(db: Db, auth: AuthContext, id: string, param: string) {
    if (!(await findConnected(db, auth.merchantId, auth.livemode, id))) {
      throw notFound("account", id, param);
    }
  }

  return {
    /**
     * Validates the split, commission, surcharge and FX parameters of a new intent and computes its money
     * columns. Seller parts given as percentages are turned into amounts by largest-remainder allocation of
     * what the platform does not keep, so they always add up to it exactly.
     */
    async resolve(db: Db, auth: AuthContext, input: PaymentTermsInput): Promise<PaymentTerms> {
      const terms = NO_TERMS(input.amount);
      const appFee = input.application_fee_amount === undefined ? null : BigInt(input.application_fee_amount);
      if (input.splits && input.transfer_data) {
        throw invalidRequest(
          "Use either transfer_data (one seller) or splits (several), not both.",
          "splits",
        );
      }
      if (appFee !== null && !input.splits && !input.transfer_data) {
        throw invalidRequest(
          "application_fee_amount needs transfer_data[destination] or splits: it is the platform's part of a payment made for connected accounts.",
          "application_fee_amount",
        );
      }
      if (appFee !== null && appFee > input.amount) {
        throw invalidRequest(
          `application_fee_amount (${appFee}) cannot be more than the amount (${input.amount}).`,
          "application_fee_amount",
          "amount_too_large",
        );
      }
      terms.application_fee_amount = appFee;
      const sellersGet = input.amount - (appFee ?? 0n);
      if (input.transfer_data) {
        await requireConnected(db, auth, input.transfer_data.destination, "transfer_data[destination]");
        terms.transfer_destination = input.transfer_data.destination;
      }
      if (input.splits) {
        if (input.splits.length === 0 || input.splits.length > 50) {
          throw invalidRequest("splits takes 1 to 50 parts.", "splits");
        }
        const byAmount = input.splits.every((s) => s.amount !== undefined && s.percent === undefined);
        const byPercent = input.splits.every((s) => s.percent !== undefined && s.amount === undefined);
        if (!byAmount && !byPercent) {
          throw invalidRequest(
            "Give every split either an amount or a percent (not both, not a mix).",
            "splits",
          );
        }
        for (const [i, s] of input.splits.entries()) {
          await requireConnected(db, auth, s.destination, `splits[${i}][destination]`);
        }
        let parts: bigint[];
        if (byAmount) {
          parts = input.splits.map((s) => BigInt(s.amount as number));
          const sum = parts.reduce((a, b) => a + b, 0n);
          if (sum !== sellersGet) {
            throw invalidRequest(
              `The split amounts add up to ${sum}, but the amount less the application fee is ${sellersGet}.`,
              "splits",
            );
          }
        } else {
          const weights = input.splits.map((s, i) =>
            hundredths(s.percent as number, `splits[${i}][percent]`),
          );
          if (weights.reduce((a, b) => a + b, 0n) !== 10_000n) {
            throw invalidRequest("The split percentages must add up to 100.", "splits");
          }
          parts = allocate(sellersGet, weights);
        }
        terms.splits = json(
          input.splits.map((s, i) => ({ account: s.destination, amount: String(parts[i]) })),
        );
      }
      const self = await loadHolder(db, holderOf(auth.merchantId, auth.livemode), deps.now());
      if (self.fee_bearer === "customer") {
        const country = self.surcharge_country?.toUpperCase() ?? null;
        if (input.paymentMethodType === "card" && country && SURCHARGE_BANNED_COUNTRIES.has(country)) {
          throw new ApiError(400, {
            type: "invalid_request_error",
            code: "surcharge_not_allowed",
            message: `Surcharging consumer cards is not allowed in ${country}: set fee_bearer to "merchant" for card payments there.`,
            param: "payment_method_data",
          });
        }
        // The fees the capture will charge, in the currency the shopper pays (see payment-postings.ts).
        terms.surcharge_amount = totalFees(
          await deps.fees.compute(
            {
              merchantId: auth.merchantId,
              livemode: auth.livemode,
              connector: input.connector,
              paymentMethod: input.paymentMethodType,
              currency: input.currency,
            },
            input.amount,
          ),
        );
        terms.amount = input.amount + terms.surcharge_amount;
      }
      return terms;
    },

    /** Reads the quote (outside the transaction that will consume it). */
    async findQuote(auth: AuthContext, quoteId: string) {
      if (!deps.fx) throw invalidRequest("FX quotes are not enabled on this deployment.", "fx_quote");
      const preview = await deps.fx.previewRate(auth, quoteId);
      return { id: quoteId, ...preview };
    },

    /**
     * Applies an FX quote: the merchant is paid in the quote's currency at its rate. Runs in the transaction
     * that inserts the intent, so a locked quote is used by exactly one payment.
     */
    async applyQuote(
      tx: Db,
      auth: AuthContext,
      terms: PaymentTerms,
      quote: { id: string; to_currency: string },
      currency: string,
      paymentId: string,
    ) {
      if (!deps.fx) throw invalidRequest("FX quotes are not enabled on this deployment.", "fx_quote");
      const applied = await deps.fx.consumeQuote(tx, auth, quote.id, {
        from_currency: currency,
        to_currency: quote.to_currency,
        paymentId,
      });
      terms.fx_quote_id = quote.id;
      terms.settlement_currency = applied.to_currency;
      terms.settlement_rate = rateText(applied.rate);
      terms.settlement_reference_rate = rateText(applied.reference);
    },
  };
}

export type PaymentTermsResolver = ReturnType<typeof createPaymentTerms>;
