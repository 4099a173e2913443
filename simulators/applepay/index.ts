export {
  APPLE_INTERMEDIATE_OID,
  APPLE_LEAF_OID,
  APPLE_MERCHANT_ID_OID,
  type ApplePayTestAuthority,
  createApplePayTestAuthority,
  type IssueTokenRequest,
  merchantIdHexOf,
  type TestAuthorityOptions,
  type TestPaymentData,
  type TestTokenPayload,
} from "./authority.ts";
export {
  type ApplePaySimulator,
  type ApplePaySimulatorFault,
  type ApplePaySimulatorOptions,
  PAYMENT_SESSION_PATH,
  startApplePaySimulator,
} from "./server.ts";
