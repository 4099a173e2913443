/**
 * FX quotes: the ECB reference rate of a currency pair less the platform's spread, shown to a merchant
 * and, when locked, guaranteed to one payment until it expires. See README.md for the rounding rule.
 */
import { ApiError, invalidRequest, notFound } from "../core/errors.ts";
import { findCurrency, maxMinorAmount } from "../core/money.ts";
import type { Db } from "../db/index.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { convertWithFee, type QuotedRates, quoteRates } from "./convert.ts";
import { type Rational, rational, toSignificant, trimZeros } from "./decimal.ts";
import { type FxQuote, presentQuote } from "./present.ts";
import { type RateSource, referenceRate } from "./rate-source.ts";
import { findQuote, insertQuote, markQuoteUsed } from "./repo.ts";
import type { FxQuoteRow, LockDuration } from "./schema.ts";

/** Significant digits of the rates shown; conversions always use the exact fraction. */
export const DISPLAY_DIGITS = 10;

export const LOCK_MS: Record<LockDuration, number | null> = {
  none: null,
  five_minutes: 5 * 60_000,
  hour: 60 * 60_000,
  day: 24 * 60 * 60_000,
};

export interface CreateQuoteInput {
  from_currency: string;
  to_currency: string;
  lock_duration: LockDuration;
  /** Minor units of from_currency. */
  amount?: number | undefined;
}

export interface ConsumeQuoteInput {
  from_currency: string;
  to_currency: string;
  paymentId: string;
}

/** The rate a payment applies, from a quote. */
export interface AppliedFxRate {
  quote: string;
  /** False for an indicative quote: the rate is the current one, not the quote's. */
  locked: boolean;
  from_currency: string;
  to_currency: string;
  /** Customer rate: units of to_currency per unit of from_currency, exact. */
  rate: Rational;
  reference: Rational;
  spreadBps: number;
  rateDate: string;
}

export interface FxServiceDeps {
  ctx: AppContext;
  rates: RateSource;
  /** The platform's margin on the reference rate, in basis points (0..9999). */
  spreadBps: number;
}

const display = (rate: Rational) => trimZeros(toSignificant(rate, DISPLAY_DIGITS));

const fromText = (num: string, den: string): Rational => rational(BigInt(num), BigInt(den));

const quoteError = (code: string, message: string, param = "fx_quote") =>
  new ApiError(400, { type: "invalid_request_error", code, message, param });

export function createFxService(deps: FxServiceDeps) {
  const { ctx, rates, spreadBps } = deps;
  quoteRates(rational(1n), spreadBps); // validates the spread once, at start

  async function currentRates(
    from: string,
    to: string,
    bps: number,
  ): Promise<{ quoted: QuotedRates; date: string }> {
    const table = await rates.current();
    return { quoted: quoteRates(referenceRate(table, from, to), bps), date: table.date };
  }

  function checkAmount(amount: number, currencyCode: string): bigint {
    const currency = findCurrency(currencyCode);
    if (!currency) throw invalidRequest(`Invalid currency: ${currencyCode}.`, "from_currency");
    if (!Number.isSafeInteger(amount)) throw invalidRequest("Amount must be an integer.", "amount");
    const value = BigInt(amount);
    const max = maxMinorAmount(currency, ctx.config.PAYRAIL_MAX_AMOUNT);
    if (value <= 0n) throw invalidRequest("Amount must be greater than zero.", "amount");
    if (value > max) {
      throw invalidRequest(
        `Amount must be no more than ${max} (the smallest unit of ${currency.code.toUpperCase()}).`,
        "amount",
        "amount_too_large",
      );
    }
    return value;
  }

  async function createQuote(auth: AuthContext, input: CreateQuoteInput): Promise<FxQuote> {
    const from = input.from_currency.toLowerCase();
    const to = input.to_currency.toLowerCase();
    if (!findCurrency(from)) throw invalidRequest(`Invalid currency: ${from}.`, "from_currency");
    if (!findCurrency(to)) throw invalidRequest(`Invalid currency: ${to}.`, "to_currency");
    if (from === to) throw invalidRequest("to_currency must differ from from_currency.", "to_currency");
    const amount = input.amount === undefined ? null : checkAmount(input.amount, from);
    const { quoted, date } = await currentRates(from, to, spreadBps);
    const conversion = amount === null ? null : convertWithFee(amount, from, to, quoted, "half_even");
    const now = ctx.clock.now();
    const lockMs = LOCK_MS[input.lock_duration];
    const row = await insertQuote(ctx.db, {
      id: ctx.ids.next("fxq"),
      merchant_id: auth.merchantId,
      livemode: auth.livemode,
      from_currency: from,
      to_currency: to,
      rate_num: quoted.customer.num.toString(),
      rate_den: quoted.customer.den.toString(),
      reference_num: quoted.reference.num.toString(),
      reference_den: quoted.reference.den.toString(),
      rate: display(quoted.customer),
      reference_rate: display(quoted.reference),
      spread_bps: quoted.spreadBps,
      lock_duration: input.lock_duration,
      expires_at: lockMs === null ? null : new Date(now.getTime() + lockMs),
      rate_date: date,
      amount,
      converted_amount: conversion?.converted ?? null,
      fee_amount: conversion?.fee ?? null,
      used_by: null,
      used_at: null,
      created_at: now,
    });
    return presentQuote(row);
  }

  async function load(db: Db, auth: AuthContext, id: string, param: string): Promise<FxQuoteRow> {
    const row = await findQuote(db, auth, id);
    if (!row) throw notFound("fx_quote", id, param);
    return row;
  }

  async function getQuote(auth: AuthContext, id: string, param = "id"): Promise<FxQuote> {
    return presentQuote(await load(ctx.db, auth, id, param));
  }

  /** The exact customer rate a payment would get from this quote now, without using it up. */
  async function previewRate(
    auth: AuthContext,
    id: string,
  ): Promise<{ to_currency: string; rate: Rational }> {
    const row = await load(ctx.db, auth, id, "fx_quote");
    if (row.lock_duration === "none") {
      const { quoted } = await currentRates(row.from_currency, row.to_currency, row.spread_bps);
      return { to_currency: row.to_currency, rate: quoted.customer };
    }
    return { to_currency: row.to_currency, rate: fromText(row.rate_num, row.rate_den) };
  }

  /**
   * Applies a quote to a payment inside the caller's transaction. A locked quote gives its own rate to
   * one payment only, until it expires; an indicative quote gives the current rate, to any number.
   */
  async function consumeQuote(
    tx: Db,
    auth: AuthContext,
    id: string,
    input: ConsumeQuoteInput,
  ): Promise<AppliedFxRate> {
    const row = await load(tx, auth, id, "fx_quote");
    const from = input.from_currency.toLowerCase();
    const to = input.to_currency.toLowerCase();
    if (row.from_currency !== from || row.to_currency !== to) {
      throw quoteError(
        "fx_quote_currency_mismatch",
        `FX quote ${id} is for ${row.from_currency.toUpperCase()} to ${row.to_currency.toUpperCase()}, not ${from.toUpperCase()} to ${to.toUpperCase()}.`,
      );
    }
    if (row.lock_duration === "none") {
      const { quoted, date } = await currentRates(from, to, row.spread_bps);
      return applied(row, false, quoted.customer, quoted.reference, date);
    }
    const now = ctx.clock.now();
    if (!(await markQuoteUsed(tx, auth, id, input.paymentId, now))) {
      const latest = await load(tx, auth, id, "fx_quote");
      if (latest.used_by !== null && latest.used_by !== input.paymentId) {
        throw quoteError("fx_quote_already_used", `FX quote ${id} was already used by ${latest.used_by}.`);
      }
      const expiredAt = latest.expires_at?.toISOString() ?? "";
      throw quoteError("fx_quote_expired", `FX quote ${id} expired at ${expiredAt}; create a new quote.`);
    }
    const rate = fromText(row.rate_num, row.rate_den);
    const reference = fromText(row.reference_num, row.reference_den);
    return applied(row, true, rate, reference, row.rate_date);
  }

  function applied(row: FxQuoteRow, locked: boolean, rate: Rational, reference: Rational, rateDate: string) {
    return {
      quote: row.id,
      locked,
      from_currency: row.from_currency,
      to_currency: row.to_currency,
      rate,
      reference,
      spreadBps: row.spread_bps,
      rateDate,
    } satisfies AppliedFxRate;
  }

  return { createQuote, getQuote, previewRate, consumeQuote };
}

export type FxService = ReturnType<typeof createFxService>;
