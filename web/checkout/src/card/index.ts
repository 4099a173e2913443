export {
  BRAND_NAMES,
  BRANDS,
  type BrandSpec,
  brandGaps,
  CARD_BRANDS,
  type CardBrand,
  detectBrand,
  MAX_CARD_LENGTH,
  maxLengthOf,
} from "./brands.ts";
export { type CvcState, cvcLengths, cvcState } from "./cvc.ts";
export { type ExpiryError, type ExpiryState, expiryState, formatExpiryInput, parseExpiry } from "./expiry.ts";
export {
  type CardNumberError,
  type CardNumberState,
  cardNumberState,
  digitsOnly,
  formatCardNumber,
  luhnValid,
  numberReadyToAdvance,
  type ValidateOptions,
} from "./number.ts";
