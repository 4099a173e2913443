import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type ApplePaySimulator, startApplePaySimulator } from "../../../simulators/applepay/index.ts";
import { ApplePaySessionError, type ApplePaySessionErrorCode } from "./errors.ts";
import { APPLE_PAY_GATEWAY_HOSTS } from "./gateway-hosts.ts";
import { type ApplePaySessionRequest, checkSessionUrl, requestApplePaySession } from "./session.ts";

let simulator: ApplePaySimulator;
let otherSimulator: ApplePaySimulator;

before(async () => {
  simulator = await startApplePaySimulator({ merchantIdentifier: "merchant.com.payrail.shop" });
  otherSimulator = await startApplePaySimulator({ merchantIdentifier: "merchant.com.payrail.other" });
});
after(async () => {
  await simulator.close();
  await otherSimulator.close();
});

const request = (overrides: Partial<ApplePaySessionRequest> = {}): ApplePaySessionRequest => ({
  url: simulator.paymentSessionUrl,
  merchantIdentifier: simulator.merchantIdentity.merchantIdentifier,
  displayName: "Payrail Shop",
  initiative: "web",
  initiativeContext: "shop.example.com",
  certificatePem: simulator.merchantIdentity.certificatePem,
  privateKeyPem: simulator.merchantIdentity.privateKeyPem,
  caPem: simulator.caCertPem,
  timeoutMs: 5_000,
  allowedHosts: [...APPLE_PAY_GATEWAY_HOSTS, simulator.host],
  ...overrides,
});

async function failsWith(code: ApplePaySessionErrorCode, params: ApplePaySessionRequest) {
  const error = await requestApplePaySession(params).then(
    () => assert.fail("expected the session request to fail"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ApplePaySessionError, String(error));
  assert.equal(error.code, code, error.message);
  return error;
}

describe("requestApplePaySession over mutual TLS", () => {
  it("returns the merchant session for the merchant of the client certificate", async () => {
    const session = await requestApplePaySession(request());
    const merchantIdHex = simulator.merchantIdentity.merchantIdHex;
    assert.equal(session.merchantIdentifier, merchantIdHex);
    assert.equal(session.pspId, merchantIdHex);
    assert.equal(session.domainName, "shop.example.com");
    assert.equal(session.displayName, "Payrail Shop");
    assert.equal(session.operationalAnalyticsIdentifier, `Payrail Shop:${merchantIdHex}`);
    assert.equal(session.retries, 0);
    assert.equal(typeof session.merchantSessionIdentifier, "string");
    assert.match(String(session.signature), /^30[0-9a-f]+$/);
  });

  it("a merchantIdentifier the certificate is not for: Apple's 400", async () => {
    const error = await failsWith("http_error", request({ merchantIdentifier: "merchant.com.someone.else" }));
    assert.equal(error.status, 400);
    assert.match(error.statusMessage ?? "", /unauthorized to process transactions/);
  });

  it("an initiativeContext that is not a plain domain: Apple's 400", async () => {
    const error = await failsWith(
      "http_error",
      request({ initiativeContext: "https://shop.example.com/checkout" }),
    );
    assert.equal(error.status, 400);
  });

  it("a merchant certificate from another CA is refused in the TLS handshake", async () => {
    await failsWith(
      "tls_error",
      request({
        certificatePem: otherSimulator.merchantIdentity.certificatePem,
        privateKeyPem: otherSimulator.merchantIdentity.privateKeyPem,
      }),
    );
  });

  it("a gateway certificate we do not trust", async () => {
    await failsWith("tls_error", request({ caPem: otherSimulator.caCertPem }));
    await failsWith("tls_error", request({ caPem: undefined }));
  });

  it("credentials that cannot be loaded", async () => {
    await failsWith("credentials_invalid", request({ privateKeyPem: "not a key" }));
    const unrelated = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    await failsWith(
      "credentials_invalid",
      request({ privateKeyPem: unrelated.export({ type: "pkcs8", format: "pem" }) as string }),
    );
  });

  it("a non-200 answer, a malformed body and no answer at all", async () => {
    try {
      simulator.setFault("http_500");
      assert.equal((await failsWith("http_error", request())).status, 500);
      simulator.setFault("malformed_json");
      await failsWith("malformed_response", request());
      simulator.setFault("hang");
      await failsWith("timeout", request({ timeoutMs: 300 }));
    } finally {
      simulator.setFault(null);
    }
  });

  it("a gateway that is not listening", async () => {
    const gone = await startApplePaySimulator({ merchantIdentifier: "merchant.com.payrail.gone" });
    await gone.close();
    await failsWith("network_error", request({ url: gone.paymentSessionUrl, allowedHosts: [gone.host] }));
  });

  it("refuses bad request fields before connecting", async () => {
    const before = simulator.requestCount();
    await failsWith("invalid_request", request({ displayName: "x".repeat(65) }));
    await failsWith("invalid_request", request({ initiative: "kiosk" as "web" }));
    await failsWith("invalid_request", request({ merchantIdentifier: " " }));
    assert.equal(simulator.requestCount(), before);
  });
});

describe("validation URL allow-list", () => {
  it("accepts Apple's documented gateways", () => {
    for (const url of [
      "https://apple-pay-gateway.apple.com/paymentservices/paymentSession",
      "https://apple-pay-gateway-cert.apple.com/paymentservices/startSession",
      "https://cn-apple-pay-gateway.apple.com/paymentservices/paymentSession",
      "https://apple-pay-gateway-nc-pod3.apple.com/paymentservices/paymentSession",
      "https://apple-pay-gateway-pr-pod5-dr.apple.com/paymentservices/paymentSession",
      "https://cn-apple-pay-gateway-tj-pod2.apple.com/paymentservices/paymentSession",
      "https://APPLE-PAY-GATEWAY.apple.com:443/paymentservices/paymentSession",
    ]) {
      assert.doesNotThrow(() => checkSessionUrl(url), url);
    }
  });

  it("refuses every other host, scheme, port or credentialed URL without connecting", async () => {
    const before = simulator.requestCount();
    for (const url of [
      "https://evil.example.com/paymentservices/paymentSession",
      "https://apple-pay-gateway.apple.com.evil.example/paymentservices/paymentSession",
      "https://evil-apple-pay-gateway.apple.com/paymentservices/paymentSession",
      "http://apple-pay-gateway.apple.com/paymentservices/paymentSession",
      "https://apple-pay-gateway.apple.com:8443/paymentservices/paymentSession",
      "https://user:pass@apple-pay-gateway.apple.com/paymentservices/paymentSession",
      "https://169.254.169.254/latest/meta-data",
      "https://apple-pay-gateway.apple.com./paymentservices/paymentSession",
      "not a url",
    ]) {
      assert.throws(
        () => checkSessionUrl(url),
        (e) => e instanceof ApplePaySessionError && e.code === "url_not_allowed",
        url,
      );
      await failsWith("url_not_allowed", request({ url }));
    }
    // The simulator itself is only reachable once its host is allowed.
    await failsWith("url_not_allowed", request({ allowedHosts: undefined }));
    const port = Number(new URL(simulator.url).port);
    await failsWith("url_not_allowed", request({ allowedHosts: [`127.0.0.1:${port + 1}`] }));
    assert.equal(simulator.requestCount(), before);
  });
});
