import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { partnerHmac, pkceChallenge, popSignature, signJws, verifyJws, verifyPop } from "./signing.ts";
import { clientHmac, clientPop } from "./test-support.ts";

// Published in grab/grabpay-merchant-sdk (Node/src/test/unit/Utils.test.ts).
const HMAC_VECTOR = {
  method: "POST",
  contentType: "application/json",
  date: "Thu, 17 Jan 2019 02:45:06 GMT",
  pathAndQuery: "/gateway/partner",
  body: JSON.stringify({ john: "wick" }),
  secret: "secret",
  expected: "CuD7m+X/xmdDNiRqW2st4OMZVxG+Q6FDiRoMZCwHq5A=",
};
const POP_VECTOR = {
  accessToken: "access_token",
  clientSecret: "client_secret",
  unix: 0,
  expected:
    "eyJzaWciOiJxaUt2T3R3VnBVQzZBZy1xSVNJZ2ZwWmw0emZlclVrSi1JUkZ0Qkt4eXk0IiwidGltZV9zaW5jZV9lcG9jaCI6MH0",
};

describe("partner HMAC", () => {
  it("matches GrabPay's published vector (content type included in the string to sign)", () => {
    const { secret, expected, ...input } = HMAC_VECTOR;
    assert.equal(partnerHmac(secret, input), expected);
    assert.equal(
      clientHmac(secret, input.method, input.contentType, input.date, input.pathAndQuery, input.body),
      expected,
    );
  });

  it("agrees with the test client's independent signer for any request", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("GET", "POST"),
        fc.string(),
        fc.string({ minLength: 1 }),
        fc.webPath(),
        fc.string(),
        (method, body, secret, path, contentType) => {
          const date = "Wed, 01 May 2024 02:00:00 GMT";
          const ours = partnerHmac(secret, { method, contentType, date, pathAndQuery: path, body });
          assert.equal(ours, clientHmac(secret, method, contentType, date, path, body));
        },
      ),
      { numRuns: 50 },
    );
  });

  it("changes when any signed part changes", () => {
    const { secret, expected, ...input } = HMAC_VECTOR;
    for (const changed of [
      { ...input, body: JSON.stringify({ john: "wick2" }) },
      { ...input, pathAndQuery: "/gateway/partner?x=1" },
      { ...input, date: "Thu, 17 Jan 2019 02:45:07 GMT" },
      { ...input, contentType: "" },
      { ...input, method: "PUT" },
    ]) {
      assert.notEqual(partnerHmac(secret, changed), expected);
    }
  });
});

describe("X-GID-AUX-POP", () => {
  it("matches GrabPay's published vector", () => {
    const { accessToken, clientSecret, unix, expected } = POP_VECTOR;
    assert.equal(popSignature(clientSecret, accessToken, unix), expected);
    assert.equal(clientPop(clientSecret, accessToken, new Date(unix * 1000)), expected);
    assert.deepEqual(verifyPop(expected, clientSecret, accessToken, new Date(0), 300), { ok: true });
  });

  it("rejects another token, another secret, a stale time and garbage", () => {
    const { accessToken, clientSecret, expected } = POP_VECTOR;
    assert.equal(verifyPop(expected, clientSecret, "other", new Date(0), 300).ok, false);
    assert.equal(verifyPop(expected, "other", accessToken, new Date(0), 300).ok, false);
    assert.equal(verifyPop(expected, clientSecret, accessToken, new Date(301_000), 300).ok, false);
    assert.equal(verifyPop("not-json", clientSecret, accessToken, new Date(0), 300).ok, false);
  });
});

describe("PKCE and the simulator's own tokens", () => {
  it("computes S256 as in RFC 7636 appendix B", () => {
    assert.equal(
      pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("verifies its own JWS and refuses a tampered one", () => {
    const key = Buffer.alloc(32, 7);
    const token = signJws(key, { partnerTxID: "p1", amount: 10 });
    assert.deepEqual(verifyJws(key, token), { partnerTxID: "p1", amount: 10 });
    const [head, , sig] = token.split(".");
    const forged = `${head}.${Buffer.from(JSON.stringify({ partnerTxID: "p1", amount: 1 })).toString("base64url")}.${sig}`;
    assert.equal(verifyJws(key, forged), null);
    assert.equal(verifyJws(Buffer.alloc(32, 8), token), null);
  });
});
