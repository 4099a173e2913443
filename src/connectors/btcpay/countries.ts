/**
 * Crypto is off until the merchant names the countries it may take it from: it is banned or restricted
 * in some countries and carries its own compliance duties, which Payrail cannot judge for the merchant.
 */
import type { ConnectorAccount, LocalPaymentRequest } from "../contract.ts";
import { btcpayConfigSchema } from "./config.ts";

const DUTIES =
  "Crypto payments are banned or restricted in some countries and carry their own compliance duties " +
  "(licensing, AML/KYC, tax reporting); check them before adding a country.";

export function refusesShopper(
  account: ConnectorAccount,
  shopper: LocalPaymentRequest["shopper"],
): string | undefined {
  const config = btcpayConfigSchema.safeParse(account.config);
  if (!config.success) return "Crypto payments are off for this account: its configuration is invalid.";
  const allowed = config.data.allowed_countries;
  if (allowed.length === 0) {
    return (
      "Crypto payments are off for this account: set allowed_countries to the ISO 3166-1 alpha-2 codes " +
      `of the countries you may accept crypto from. ${DUTIES}`
    );
  }
  const country = shopper.country?.toUpperCase();
  if (!country) {
    return (
      "Crypto payments need the shopper's country, and none is known: this account takes crypto only " +
      `from ${allowed.join(", ")}. ${DUTIES}`
    );
  }
  if (!allowed.includes(country)) {
    return (
      `Crypto payments are not enabled for shoppers in ${country} on this account (allowed_countries: ` +
      `${allowed.join(", ")}). ${DUTIES}`
    );
  }
  return undefined;
}
