import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseGoogleRootSigningKeys, unsealGooglePayToken } from "../../src/wallets/googlepay/index.ts";
import {
  createGooglePayTestIssuer,
  type GooglePayKeysServer,
  generateMerchantKeyPair,
  KEYS_PATHS,
  startGooglePayKeysServer,
} from "./index.ts";

const NOW = new Date("2026-05-10T08:00:00Z");
const issuer = createGooglePayTestIssuer({ now: () => NOW });
let server: GooglePayKeysServer;

describe("startGooglePayKeysServer", () => {
  before(async () => {
    server = await startGooglePayKeysServer({ keys: issuer.rootSigningKeys, maxAgeSeconds: 600 });
  });
  after(() => server.close());

  it("serves the keys at Google's production and test paths, with a cache lifetime", async () => {
    for (const path of KEYS_PATHS) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "public, max-age=600");
      assert.deepEqual(await response.json(), issuer.rootSigningKeys);
    }
    const head = await fetch(`${server.url}${KEYS_PATHS[0]}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal((await fetch(`${server.url}/other`)).status, 404);
    assert.equal((await fetch(`${server.url}${KEYS_PATHS[0]}`, { method: "POST" })).status, 405);
  });

  it("feeds a fetched key list to the verifier", async () => {
    const merchant = generateMerchantKeyPair();
    const token = issuer.issueToken({
      recipientId: "merchant:fetch",
      merchantPublicKeyUncompressedBase64: merchant.publicKeyUncompressedBase64,
      payload: { pan: "4111111111111111", expMonth: 12, expYear: 2030, authMethod: "PAN_ONLY" },
    });
    const body = await (await fetch(`${server.url}${KEYS_PATHS[1]}`)).text();
    const result = unsealGooglePayToken(token, {
      recipientId: "merchant:fetch",
      merchantPrivateKeysPkcs8Base64: [merchant.privateKeyPkcs8Base64],
      googleRootSigningKeys: parseGoogleRootSigningKeys(body),
      now: NOW,
    });
    assert.equal(result.paymentMethodDetails.expirationYear, 2030);
  });

  it("serves replaced keys after a rotation", async () => {
    const next = createGooglePayTestIssuer({ now: () => NOW });
    server.setKeys(next.rootSigningKeys);
    const response = await fetch(`${server.url}${KEYS_PATHS[0]}`);
    assert.deepEqual(await response.json(), next.rootSigningKeys);
    assert.ok(server.requestCount() >= 6);
  });
});
