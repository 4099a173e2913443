// Apple's published merchant validation hosts ("Setting Up Your Server", Apple Pay on the Web), HTTPS on 443.
const pods = (prefix: string, region: string, count: number) =>
  Array.from({ length: count }, (_, i) => [
    `${prefix}-${region}-pod${i + 1}.apple.com`,
    `${prefix}-${region}-pod${i + 1}-dr.apple.com`,
  ]).flat();

export const APPLE_PAY_PRODUCTION_HOSTS: readonly string[] = Object.freeze([
  "apple-pay-gateway.apple.com",
  "cn-apple-pay-gateway.apple.com",
  ...pods("apple-pay-gateway", "nc", 5),
  ...pods("apple-pay-gateway", "pr", 5),
  ...pods("cn-apple-pay-gateway", "sh", 3),
  ...pods("cn-apple-pay-gateway", "tj", 3),
]);

export const APPLE_PAY_SANDBOX_HOSTS: readonly string[] = Object.freeze([
  "apple-pay-gateway-cert.apple.com",
  "cn-apple-pay-gateway-cert.apple.com",
]);

export const APPLE_PAY_GATEWAY_HOSTS: readonly string[] = Object.freeze([
  ...APPLE_PAY_PRODUCTION_HOSTS,
  ...APPLE_PAY_SANDBOX_HOSTS,
]);
