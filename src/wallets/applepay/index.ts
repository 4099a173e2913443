export { DEFAULT_SIGNING_TIME_TOLERANCE_MS, decryptApplePayToken } from "./decrypt.ts";
export {
  ApplePaySessionError,
  type ApplePaySessionErrorCode,
  ApplePayTokenError,
  type ApplePayTokenErrorCode,
} from "./errors.ts";
export {
  APPLE_PAY_GATEWAY_HOSTS,
  APPLE_PAY_PRODUCTION_HOSTS,
  APPLE_PAY_SANDBOX_HOSTS,
} from "./gateway-hosts.ts";
export { extractMerchantId } from "./merchant-id.ts";
export { toNetworkTokenCard } from "./payload.ts";
export {
  type ApplePayInitiative,
  type ApplePayMerchantSession,
  type ApplePaySessionRequest,
  checkSessionUrl,
  requestApplePaySession,
} from "./session.ts";
export type {
  ApplePayPaymentData,
  ApplePayTokenHeader,
  DecryptApplePayTokenOptions,
  DecryptedApplePayToken,
  EmvPaymentData,
  NetworkTokenCard,
  ThreeDSecurePaymentData,
} from "./types.ts";
