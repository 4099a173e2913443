import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  authorizeUrl,
  codeChallengeOf,
  codeVerifierFor,
  nonceFor,
  redirectUriOfState,
  stateFor,
} from "./oauth.ts";
import { partnerSignature, partnerStringToSign, proofOfPossession } from "./signing.ts";

describe("partner HMAC", () => {
  // GrabPay's published vector (grab/grabpay-merchant-sdk).
  const vector = {
    method: "POST",
    contentType: "application/json",
    date: "Thu, 17 Jan 2019 02:45:06 GMT",
    pathAndQuery: "/gateway/partner",
    body: '{"john":"wick"}',
  };

  it("matches the published vector", () => {
    assert.equal(partnerSignature("secret", vector), "CuD7m+X/xmdDNiRqW2st4OMZVxG+Q6FDiRoMZCwHq5A=");
  });

  // The digest line: `printf %s '{"john":"wick"}' | openssl dgst -sha256 -binary | base64`.
  it("signs method, content type, date, path and body digest, each on its own line", () => {
    assert.equal(
      partnerStringToSign(vector),
      "POST\napplication/json\nThu, 17 Jan 2019 02:45:06 GMT\n/gateway/partner\nXaA7lbExZFmIixvJ0EVn6nDc7FJDrD7yRIzXnA+/HG8=\n",
    );
    assert.equal(
      partnerStringToSign({ ...vector, method: "GET", body: "" }),
      "GET\napplication/json\nThu, 17 Jan 2019 02:45:06 GMT\n/gateway/partner\n\n",
    );
  });

  it("changes with every signed part", () => {
    const base = partnerSignature("secret", vector);
    for (const changed of [
      { ...vector, method: "PUT" },
      { ...vector, contentType: "" },
      { ...vector, date: "Thu, 17 Jan 2019 02:45:07 GMT" },
      { ...vector, pathAndQuery: "/gateway/partner?x=1" },
      { ...vector, body: '{"john":"wick2"}' },
    ]) {
      assert.notEqual(partnerSignature("secret", changed), base);
    }
    assert.notEqual(partnerSignature("other", vector), base);
  });
});

describe("proof of possession", () => {
  it("matches GrabPay's published X-GID-AUX-POP vector", () => {
    assert.equal(
      proofOfPossession("client_secret", "access_token", new Date(0)),
      "eyJzaWciOiJxaUt2T3R3VnBVQzZBZy1xSVNJZ2ZwWmw0emZlclVrSi1JUkZ0Qkt4eXk0IiwidGltZV9zaW5jZV9lcG9jaCI6MH0",
    );
  });
});

describe("PKCE, nonce and state without storage", () => {
  it("computes S256 as RFC 7636 appendix B", () => {
    assert.equal(
      codeChallengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("derives a valid, stable code_verifier per reference and client secret", () => {
    const verifier = codeVerifierFor("s3cret-value", "pi_abc_a1");
    assert.match(verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(codeVerifierFor("s3cret-value", "pi_abc_a1"), verifier);
    assert.notEqual(codeVerifierFor("s3cret-value", "pi_abc_a2"), verifier);
    assert.notEqual(codeVerifierFor("other-secret", "pi_abc_a1"), verifier);
    assert.notEqual(nonceFor("s3cret-value", "pi_abc_a1"), verifier);
  });

  it("a state names its reference and redirect_uri, and only we can make one", () => {
    const state = stateFor("s3cret-value", "pi_abc_a1", "https://payrail.example/pay/return/pi_abc");
    assert.equal(
      redirectUriOfState("s3cret-value", "pi_abc_a1", state),
      "https://payrail.example/pay/return/pi_abc",
    );
    assert.equal(redirectUriOfState("s3cret-value", "pi_abc_a2", state), undefined, "another reference");
    assert.equal(redirectUriOfState("other-secret", "pi_abc_a1", state), undefined, "another client");
    const [payload, mac] = state.split(".");
    const swapped = Buffer.from("pi_abc_a1\nhttps://evil.example/").toString("base64url");
    assert.equal(redirectUriOfState("s3cret-value", "pi_abc_a1", `${swapped}.${mac}`), undefined);
    assert.equal(redirectUriOfState("s3cret-value", "pi_abc_a1", `${payload}`), undefined);
    assert.equal(redirectUriOfState("s3cret-value", "pi_abc_a1", ""), undefined);
  });

  it("builds GrabID's authorize URL", () => {
    const url = new URL(
      authorizeUrl("https://grab.example", {
        clientId: "client-1",
        clientSecret: "s3cret-value",
        reference: "pi_abc_a1",
        redirectUri: "https://payrail.example/pay/return/pi_abc",
        requestToken: "req.token.sig",
        country: "TH",
        currency: "THB",
      }),
    );
    assert.equal(url.pathname, "/grabid/v1/oauth2/authorize");
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      acr_values: "consent_ctx:countryCode=TH,currency=THB",
      client_id: "client-1",
      code_challenge: codeChallengeOf(codeVerifierFor("s3cret-value", "pi_abc_a1")),
      code_challenge_method: "S256",
      currency: "THB",
      nonce: nonceFor("s3cret-value", "pi_abc_a1"),
      redirect_uri: "https://payrail.example/pay/return/pi_abc",
      request: "req.token.sig",
      response_type: "code",
      scope: "openid payment.one_time_charge",
      state: stateFor("s3cret-value", "pi_abc_a1", "https://payrail.example/pay/return/pi_abc"),
    });
  });
});
