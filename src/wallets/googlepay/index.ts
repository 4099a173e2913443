export { GooglePayTokenError, type GooglePayTokenErrorCode } from "./errors.ts";
export { toNetworkTokenCard } from "./payload.ts";
export { GOOGLE_ROOT_SIGNING_KEYS_URLS, parseGoogleRootSigningKeys } from "./token.ts";
export type {
  GooglePayAuthMethod,
  GooglePayCardDetails,
  GooglePayProtocolVersion,
  GooglePayRecipientId,
  GoogleRootSigningKey,
  NetworkTokenCard,
  UnsealedGooglePayToken,
  UnsealGooglePayTokenOptions,
} from "./types.ts";
export { unsealGooglePayToken } from "./unseal.ts";
