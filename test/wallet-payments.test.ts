import assert from "node:assert/strict";
import { createHash, generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { simulatorPublishableKey } from "../src/connectors/stripe/index.ts";
import { startTestServer, type TestServer } from "./support/server.ts";
import { testVaultCipher } from "./support/vault.ts";

let server: TestServer;
let wallets: any;
before(async () => {
  server = await startTestServer();
  wallets = (await server.request("GET", "/v1/wallets")).body;
});
after(async () => {
  await server.close();
});

const CRYPTOGRAM = Buffer.from("payrail-test-cryptogram-0001").toString("base64");

async function applePayToken(overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) {
  const authority = server.payrail.applePayAuthority;
  assert.ok(authority, "the simulators role provides the Apple Pay test authority");
  return authority.issueToken({
    merchantPublicKeyPem: wallets.apple_pay.processing_public_key,
    merchantIdHex: createHash("sha256")
      .update(wallets.apple_pay.merchant_identifier)
      .digest("hex")
      .toUpperCase(),
    payload: {
      pan: "5555555555554444",
      expiry: "301231",
      cryptogram: CRYPTOGRAM,
      eci: "05",
      amount: 2000,
      currencyCode: "978",
      ...payload,
    },
    ...overrides,
  } as never);
}

function googlePayToken(overrides: Record<string, unknown> = {}) {
  const issuer = server.payrail.googlePayIssuer;
  assert.ok(issuer);
  return issuer.issueToken({
    recipientId: wallets.google_pay.recipient_id,
    merchantPublicKeyUncompressedBase64: wallets.google_pay.public_keys[0],
    payload: {
      pan: "4242424242424242",
      expMonth: 12,
      expYear: 2030,
      authMethod: "CRYPTOGRAM_3DS",
      cryptogram: CRYPTOGRAM,
      eci: "05",
    },
    ...overrides,
  } as never);
}

async function accountOf(connector: string): Promise<string> {
  const list = await server.request("GET", "/v1/connector_accounts?limit=100");
  return list.body.data.find((a: any) => a.connector === connector).id;
}

const pay = (paymentMethodData: unknown, extra: Record<string, unknown> = {}) =>
  server.request("POST", "/v1/payment_intents", {
    body: { amount: 2000, currency: "eur", confirm: true, payment_method_data: paymentMethodData, ...extra },
  });

const intentCount = async () =>
  Number(
    (
      await server.payrail.ctx.db
        .selectFrom("payment_intents")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("merchant_id", "=", server.merchant.merchant_id)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("wallet setup", () => {
  test("test mode has Apple Pay and Google Pay keys out of the box; private keys are never shown", async () => {
    assert.equal(wallets.apple_pay.configured, true);
    assert.match(wallets.apple_pay.processing_public_key, /BEGIN PUBLIC KEY/);
    assert.equal(wallets.google_pay.recipient_id, `merchant:${server.merchant.merchant_id}`);
    const text = JSON.stringify(wallets);
    assert.ok(!text.includes("PRIVATE KEY") && !text.includes("private_keys"));
    const live = await server.request("GET", "/v1/wallets", { key: server.merchant.live_secret_key });
    assert.equal(live.body.apple_pay.configured, false, "live mode starts unconfigured");
  });

  test("a merchant sets its own Apple Pay keys; they are sealed and write-only", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const res = await server.request("POST", "/v1/wallets/apple_pay", {
      key: server.merchant.live_secret_key,
      body: {
        merchant_identifier: "merchant.com.example.shop",
        processing_private_key: pem,
        domains: ["shop.example.com"],
      },
    });
    assert.equal(res.status, 200, res.text);
    assert.ok(!res.text.includes("PRIVATE KEY"));
    assert.match(res.body.processing_public_key, /BEGIN PUBLIC KEY/);
    const row = await server.payrail.ctx.db
      .selectFrom("wallet_configs")
      .selectAll()
      .where("merchant_id", "=", server.merchant.merchant_id)
      .where("livemode", "=", true)
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row.config).includes("PRIVATE KEY"));
    assert.ok(row.sealed_secrets);
    const bad = await server.request("POST", "/v1/wallets/google_pay", {
      key: server.merchant.live_secret_key,
      body: { recipient_id: "nobody", private_keys: ["x"] },
    });
    assert.equal(bad.status, 400);
  });
});

for (const connector of ["sandbox", "stripe", "adyen"]) {
  describe(`wallet payments through ${connector}`, () => {
    test("Apple Pay: the token is decrypted and its device PAN and cryptogram are authorized", async () => {
      const res = await pay(
        { type: "apple_pay", apple_pay: { payment_data: await applePayToken() } },
        { connector_account: await accountOf(connector) },
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, "succeeded");
      assert.equal(res.body.payment_method, null, "a one-time wallet token is not vaulted");
      assert.equal(res.body.payment_method_details.card.wallet.type, "apple_pay");
      assert.equal(res.body.payment_method_details.card.last4, "4444");
    });

    test("Google Pay (DIRECT): the token is verified, decrypted and authorized", async () => {
      const res = await pay(
        { type: "google_pay", google_pay: { token: googlePayToken() } },
        { connector_account: await accountOf(connector) },
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, "succeeded");
      assert.equal(res.body.payment_method_details.card.wallet.type, "google_pay");
    });
  });
}

describe("bad wallet tokens give specific errors and no payment", () => {
  const refused = async (data: unknown, code: string, walletError?: string) => {
    const before = await intentCount();
    const res = await pay(data);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.code, code);
    if (walletError) assert.equal(res.body.error.wallet_error, walletError);
    assert.equal(await intentCount(), before, "no intent was created");
  };

  test("Apple Pay: wrong signature, out-of-window signing time, other merchant, truncated, wrong amount", async () => {
    const good = await applePayToken();
    const tamperedSignature = { ...good, signature: `${good.signature.slice(0, -8)}AAAAAAA=` };
    await refused(
      { type: "apple_pay", apple_pay: { payment_data: tamperedSignature } },
      "wallet_token_invalid",
    );
    const stale = await applePayToken({ signingTime: new Date(Date.now() - 60 * 60_000) });
    await refused(
      { type: "apple_pay", apple_pay: { payment_data: stale } },
      "wallet_token_invalid",
      "signing_time_out_of_window",
    );
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const forSomeoneElse = await applePayToken({
      merchantPublicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    });
    await refused(
      { type: "apple_pay", apple_pay: { payment_data: forSomeoneElse } },
      "wallet_token_invalid",
      "public_key_hash_mismatch",
    );
    const truncated = await applePayToken({ faults: { truncateDataTo: 10 } });
    await refused(
      { type: "apple_pay", apple_pay: { payment_data: truncated } },
      "wallet_token_invalid",
      "truncated_ciphertext",
    );
    const otherAmount = await applePayToken({}, { amount: 9999 });
    await refused({ type: "apple_pay", apple_pay: { payment_data: otherAmount } }, "wallet_amount_mismatch");
  });

  test("Google Pay: wrong recipient, expired message, tampered token", async () => {
    await refused(
      { type: "google_pay", google_pay: { token: googlePayToken({ recipientId: "merchant:someone-else" }) } },
      "wallet_token_invalid",
      "message_signature_invalid",
    );
    await refused(
      {
        type: "google_pay",
        google_pay: { token: googlePayToken({ messageExpiration: new Date(Date.now() - 1000) }) },
      },
      "wallet_token_invalid",
      "message_expired",
    );
    const token = googlePayToken();
    await refused(
      {
        type: "google_pay",
        google_pay: { token: token.replace(/"signature":"[^"]{8}/, '"signature":"AAAAAAAA') },
      },
      "wallet_token_invalid",
    );
  });

  test("a wallet token must be confirmed at once and cannot be saved", async () => {
    const data = { type: "google_pay", google_pay: { token: googlePayToken() } };
    const unconfirmed = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 2000, currency: "eur", payment_method_data: data },
    });
    assert.equal(unconfirmed.status, 400);
    assert.equal(unconfirmed.body.error.param, "payment_method_data");
  });
});

describe("Apple Pay merchant validation", () => {
  test("Payrail gets a merchant session from Apple's service over mutual TLS (the simulator in test mode)", async () => {
    const simulator = server.payrail.applePaySimulator;
    assert.ok(simulator);
    const res = await server.request("POST", "/v1/apple_pay/sessions", {
      key: server.merchant.publishable_key,
      body: { validation_url: simulator.paymentSessionUrl, domain: "shop.example.com" },
    });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.merchantSessionIdentifier);
    assert.equal(simulator.requestCount(), 1);
  });

  test("a validation URL outside Apple's hosts is refused before any connection", async () => {
    const res = await server.request("POST", "/v1/apple_pay/sessions", {
      key: server.merchant.publishable_key,
      body: { validation_url: "https://attacker.example/paymentSession", domain: "shop.example.com" },
    });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.param, "validation_url");
  });
});

describe("Google Pay PAYMENT_GATEWAY mode: the token is the processor's to read, Payrail forwards it", () => {
  async function accountSecrets(connector: string) {
    const row = await server.payrail.ctx.db
      .selectFrom("connector_accounts")
      .selectAll()
      .where("merchant_id", "=", server.merchant.merchant_id)
      .where("livemode", "=", false)
      .where("connector", "=", connector)
      .executeTakeFirstOrThrow();
    const opened = await testVaultCipher().open(row.sealed_secrets as string, {
      merchantId: row.merchant_id,
      recordId: row.id,
    });
    return { id: row.id, config: row.config, secrets: JSON.parse(opened.toString()) };
  }

  test("Stripe: Google created a Stripe card token with the publishable key; Payrail pays with it", async () => {
    const stripe = server.payrail.stripeSimulator;
    assert.ok(stripe);
    const account = await accountSecrets("stripe");
    // What Google's servers do for gateway "stripe": create a card token with the merchant's publishable key.
    const created = await fetch(`${stripe.url}/v1/tokens`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${simulatorPublishableKey(account.secrets.secret_key)}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=2030&card[cvc]=123",
    });
    assert.equal(created.status, 200);
    const token = await created.text();
    const res = await pay(
      { type: "google_pay", google_pay: { token, mode: "gateway" } },
      { connector_account: account.id },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "succeeded");
    assert.equal(res.body.payment_method_details.card.wallet.tokenization, "gateway");
    const reused = await pay(
      { type: "google_pay", google_pay: { token, mode: "gateway" } },
      { connector_account: account.id },
    );
    assert.equal(reused.status, 402, "a token works once");
  });

  test("Adyen: an ECv2 token for gateway:adyen is sent as googlePayToken and decrypted by Adyen", async () => {
    const adyen = server.payrail.adyenSimulator;
    const issuer = server.payrail.googlePayIssuer;
    assert.ok(adyen && issuer);
    const account = await accountSecrets("adyen");
    const token = issuer.issueToken({
      recipientId: "gateway:adyen",
      merchantPublicKeyUncompressedBase64: adyen.googlePayPublicKey,
      gatewayMerchantId: account.config.merchant_account as string,
      payload: {
        pan: "4242424242424242",
        expMonth: 12,
        expYear: 2030,
        authMethod: "CRYPTOGRAM_3DS",
        cryptogram: CRYPTOGRAM,
        eci: "05",
      },
    } as never);
    const res = await pay(
      { type: "google_pay", google_pay: { token, mode: "gateway" } },
      { connector_account: account.id },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "succeeded");
  });

  test("a connector that cannot read gateway tokens is refused before anything is created", async () => {
    const before = await intentCount();
    const res = await pay(
      { type: "google_pay", google_pay: { token: '{"id":"tok_x"}', mode: "gateway" } },
      { connector_account: await accountOf("sandbox") },
    );
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.param, "connector_account");
    assert.equal(await intentCount(), before);
  });
});
