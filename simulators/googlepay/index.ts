export {
  createGooglePayTestIssuer,
  type GooglePayTestIssuer,
  type GooglePayTestIssuerOptions,
  type GoogleRootKeysDocument,
  type IssueTokenRequest,
  type TestCardPayload,
  type TestTokenFault,
  type TestTokenProtocol,
} from "./issuer.ts";
export {
  type GooglePayKeysServer,
  type GooglePayKeysServerOptions,
  KEYS_PATHS,
  startGooglePayKeysServer,
} from "./keys-server.ts";
export { generateMerchantKeyPair, type MerchantKeyPair } from "./merchant-keys.ts";
export { type RandomSource, seededRandom } from "./p256.ts";
