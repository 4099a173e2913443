import { BRANDS, type CardBrand } from "./brands.ts";
import { digitsOnly, type ValidateOptions } from "./number.ts";

export interface CvcState {
  /** The digits typed (at most 4). */
  value: string;
  /** The length the brand wants (3 or 4 while the brand is unknown). */
  complete: boolean;
  error: "invalid_cvc" | null;
}

/** The lengths a card's security code may have: the brand's own, or 3 and 4 while the brand is unknown. */
export function cvcLengths(brand: CardBrand | null): readonly number[] {
  return brand ? [BRANDS[brand].cvcLength] : [3, 4];
}

/**
 * The security code's state. While typing, only a code longer than the brand's is reported (4 digits typed
 * before the number showed a Visa); on blur or submit, any wrong length is.
 */
export function cvcState(
  input: string,
  brand: CardBrand | null,
  options: ValidateOptions = { final: false },
): CvcState {
  const value = digitsOnly(input).slice(0, 4);
  const lengths = cvcLengths(brand);
  const complete = lengths.includes(value.length);
  const tooLong = value.length > lengths.at(-1)!;
  return { value, complete, error: !complete && (options.final || tooLong) ? "invalid_cvc" : null };
}
