import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../test/support/context.ts";
import { ManualClock } from "../core/clock.ts";
import { ApiError } from "../core/errors.ts";
import { createCustomerService } from "../customers/service.ts";
import type { AuthContext } from "../http/context.ts";
import { insertMerchant } from "../merchants/repo.ts";
import { createPasskeyService, PASSKEY_CHALLENGE_TTL_MS, type PasskeyService } from "./service.ts";
import { SoftwareAuthenticator } from "./test-authenticator.ts";
import { passkeyTables } from "./types.ts";

const RP = { id: "pay.example.com", name: "Example Shop" };
const ORIGIN = "https://pay.example.com";
const rp = { id: RP.id, origin: ORIGIN };

const clock = new ManualClock(new Date("2026-03-02T10:00:00Z"));
let t: TestContext;
let passkeys: PasskeyService;

interface Shopper {
  merchantId: string;
  customerId: string;
}

async function createMerchantWithCustomers(count: number): Promise<Shopper[]> {
  const merchantId = t.ctx.ids.next("acct");
  await insertMerchant(t.ctx.db, { id: merchantId, name: "passkey test", createdAt: clock.now() });
  const auth: AuthContext = { merchantId, livemode: false, keyKind: "secret", keyId: "key_test" };
  const customers = createCustomerService(t.ctx);
  const out: Shopper[] = [];
  for (let i = 0; i < count; i++) {
    const customer = await customers.create(auth, { email: `shopper${i}@example.com` }, {});
    out.push({ merchantId, customerId: customer.id });
  }
  return out;
}

const apiError = (status: number, code: string) => (error: unknown) => {
  assert.ok(error instanceof ApiError, String(error));
  assert.equal(error.body.code, code, error.message);
  assert.equal(error.status, status);
  return true;
};

async function registerPasskey(shopper: Shopper, authenticator: SoftwareAuthenticator) {
  const { challengeId, options } = await passkeys.registrationOptions({
    ...shopper,
    livemode: false,
    userName: "shopper@example.com",
    userDisplayName: "A Shopper",
    rp: RP,
  });
  const response = authenticator.create(options, { origin: ORIGIN });
  return passkeys.verifyRegistration({ ...shopper, livemode: false, challengeId, response, rp });
}

before(async () => {
  t = await createTestContext({ clock });
  passkeys = createPasskeyService(t.ctx);
});
after(async () => {
  await t?.close();
});

describe("registration", () => {
  test("options: required user verification, ES256 and RS256, no attestation, an opaque stable user id", async () => {
    const [a, b] = await createMerchantWithCustomers(2);
    const options = async (shopper: Shopper) =>
      passkeys.registrationOptions({
        ...shopper,
        livemode: false,
        userName: "shopper@example.com",
        userDisplayName: "A Shopper",
        rp: RP,
      });
    const first = await options(a!);
    const second = await options(a!);
    const other = await options(b!);
    assert.match(first.challengeId, /^pkch_/);
    assert.notEqual(first.challengeId, second.challengeId);
    assert.notEqual(first.options.challenge, second.options.challenge);
    assert.deepEqual(first.options.rp, { id: RP.id, name: RP.name });
    assert.equal(first.options.attestation, "none");
    assert.equal(first.options.timeout, PASSKEY_CHALLENGE_TTL_MS);
    assert.deepEqual(
      first.options.pubKeyCredParams.map((p) => p.alg),
      [-7, -257],
    );
    assert.equal(first.options.authenticatorSelection?.userVerification, "required");
    assert.equal(first.options.authenticatorSelection?.residentKey, "preferred");
    assert.deepEqual(first.options.excludeCredentials, []);
    // The user handle: the same for one customer, different for another, not the customer id.
    assert.equal(first.options.user.id, second.options.user.id);
    assert.notEqual(first.options.user.id, other.options.user.id);
    const handle = Buffer.from(first.options.user.id, "base64url").toString("latin1");
    assert.ok(!handle.includes(a!.customerId) && !handle.includes(a!.merchantId));
    assert.equal(Buffer.from(first.options.user.id, "base64url").length, 32);
  });

  test("register then authenticate", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const authenticator = new SoftwareAuthenticator();
    assert.equal(await passkeys.hasPasskey(shopper!.merchantId, shopper!.customerId), false);
    const { passkeyId } = await registerPasskey(shopper!, authenticator);
    assert.match(passkeyId, /^pkey_/);
    assert.equal(await passkeys.hasPasskey(shopper!.merchantId, shopper!.customerId), true);

    const listed = await passkeys.list(shopper!.merchantId, shopper!.customerId);
    assert.equal(listed.length, 1);
    assert.deepEqual(listed[0], {
      id: passkeyId,
      object: "passkey",
      livemode: false,
      customer: shopper!.customerId,
      device_type: "singleDevice",
      backed_up: false,
      transports: ["internal", "hybrid"],
      created: Math.floor(clock.now().getTime() / 1000),
      last_used: null,
    });

    clock.advance(60_000);
    const { challengeId, options } = await passkeys.authenticationOptions({ ...shopper!, rpId: RP.id });
    assert.equal(options.rpId, RP.id);
    assert.equal(options.userVerification, "required");
    assert.deepEqual(
      options.allowCredentials?.map((c) => c.id),
      [...authenticator.credentials.keys()],
    );
    const response = authenticator.get(options, { origin: ORIGIN });
    assert.deepEqual(await passkeys.verifyAuthentication({ ...shopper!, challengeId, response, rp }), {
      passkeyId,
    });
    const [used] = await passkeys.list(shopper!.merchantId, shopper!.customerId);
    assert.equal(used?.last_used, Math.floor(clock.now().getTime() / 1000));

    // A passkey without a counter (always 0) keeps working.
    const again = await passkeys.authenticationOptions({ ...shopper!, rpId: RP.id });
    const second = authenticator.get(again.options, { origin: ORIGIN });
    await passkeys.verifyAuthentication({
      ...shopper!,
      challengeId: again.challengeId,
      response: second,
      rp,
    });
  });

  test("a synced passkey is stored as multi-device and backed up; origins may be a list", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const authenticator = new SoftwareAuthenticator({ backupEligible: true });
    const { challengeId, options } = await passkeys.registrationOptions({
      ...shopper!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const response = authenticator.create(options, { origin: ORIGIN });
    await passkeys.verifyRegistration({
      ...shopper!,
      livemode: false,
      challengeId,
      response,
      rp: { id: RP.id, origin: ["https://other.example.com", ORIGIN] },
    });
    const [listed] = await passkeys.list(shopper!.merchantId, shopper!.customerId);
    assert.equal(listed?.device_type, "multiDevice");
    assert.equal(listed?.backed_up, true);
  });

  test("excludeCredentials lists the customer's existing passkeys", async () => {
    const [shopper, other] = await createMerchantWithCustomers(2);
    const phone = new SoftwareAuthenticator();
    const laptop = new SoftwareAuthenticator();
    await registerPasskey(shopper!, phone);
    await registerPasskey(shopper!, laptop);
    await registerPasskey(other!, new SoftwareAuthenticator());
    const { options } = await passkeys.registrationOptions({
      ...shopper!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const excluded = options.excludeCredentials ?? [];
    assert.deepEqual(
      excluded.map((c) => c.id).sort(),
      [...phone.credentials.keys(), ...laptop.credentials.keys()].sort(),
    );
    for (const credential of excluded) {
      assert.equal(credential.type, "public-key");
      assert.deepEqual(credential.transports, ["internal", "hybrid"]);
    }
  });

  test("a response from another origin is refused", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const { challengeId, options } = await passkeys.registrationOptions({
      ...shopper!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const response = new SoftwareAuthenticator().create(options, { origin: "https://evil.example.net" });
    await assert.rejects(
      passkeys.verifyRegistration({ ...shopper!, livemode: false, challengeId, response, rp }),
      (error: unknown) => {
        apiError(400, "passkey_verification_failed")(error);
        assert.match((error as ApiError).message, /origin/);
        return true;
      },
    );
    assert.equal(await passkeys.hasPasskey(shopper!.merchantId, shopper!.customerId), false);
  });

  test("a credential made for another RP ID is refused", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const { challengeId, options } = await passkeys.registrationOptions({
      ...shopper!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const response = new SoftwareAuthenticator().create(options, {
      origin: ORIGIN,
      rpId: "evil.example.net",
    });
    await assert.rejects(
      passkeys.verifyRegistration({ ...shopper!, livemode: false, challengeId, response, rp }),
      (error: unknown) => {
        apiError(400, "passkey_verification_failed")(error);
        assert.match((error as ApiError).message, /RP ID/);
        return true;
      },
    );
  });

  test("no user verification (UV flag clear) is refused", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const { challengeId, options } = await passkeys.registrationOptions({
      ...shopper!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const response = new SoftwareAuthenticator().create(options, { origin: ORIGIN, userVerified: false });
    await assert.rejects(
      passkeys.verifyRegistration({ ...shopper!, livemode: false, challengeId, response, rp }),
      (error: unknown) => {
        apiError(400, "passkey_verification_failed")(error);
        assert.match((error as ApiError).message, /[Uu]ser verification/);
        return true;
      },
    );
    assert.equal(await passkeys.hasPasskey(shopper!.merchantId, shopper!.customerId), false);
  });

  test("a challenge is single-use: replaying a registration fails", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const { challengeId, options } = await passkeys.registrationOptions({
      ...shopper!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const response = new SoftwareAuthenticator().create(options, { origin: ORIGIN });
    await passkeys.verifyRegistration({ ...shopper!, livemode: false, challengeId, response, rp });
    await assert.rejects(
      passkeys.verifyRegistration({ ...shopper!, livemode: false, challengeId, response, rp }),
      apiError(400, "passkey_challenge_used"),
    );
    // Concurrent verifications of one challenge: exactly one gets it.
    const fresh = await passkeys.registrationOptions({
      ...shopper!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const authenticator = new SoftwareAuthenticator();
    const results = await Promise.allSettled([
      passkeys.verifyRegistration({
        ...shopper!,
        livemode: false,
        challengeId: fresh.challengeId,
        response: authenticator.create(fresh.options, { origin: ORIGIN }),
        rp,
      }),
      passkeys.verifyRegistration({
        ...shopper!,
        livemode: false,
        challengeId: fresh.challengeId,
        response: authenticator.create(fresh.options, { origin: ORIGIN }),
        rp,
      }),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    const rejected = results.find((r) => r.status === "rejected");
    assert.ok(rejected && apiError(400, "passkey_challenge_used")(rejected.reason));
  });

  test("a failed verification spends the challenge too", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const { challengeId, options } = await passkeys.registrationOptions({
      ...shopper!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const authenticator = new SoftwareAuthenticator();
    const bad = authenticator.create(options, { origin: "https://evil.example.net" });
    await assert.rejects(
      passkeys.verifyRegistration({ ...shopper!, livemode: false, challengeId, response: bad, rp }),
      apiError(400, "passkey_verification_failed"),
    );
    const good = authenticator.create(options, { origin: ORIGIN });
    await assert.rejects(
      passkeys.verifyRegistration({ ...shopper!, livemode: false, challengeId, response: good, rp }),
      apiError(400, "passkey_challenge_used"),
    );
  });

  test("an expired challenge is refused", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const { challengeId, options } = await passkeys.registrationOptions({
      ...shopper!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const response = new SoftwareAuthenticator().create(options, { origin: ORIGIN });
    clock.advance(PASSKEY_CHALLENGE_TTL_MS);
    await assert.rejects(
      passkeys.verifyRegistration({ ...shopper!, livemode: false, challengeId, response, rp }),
      apiError(400, "passkey_challenge_expired"),
    );
    assert.equal(await passkeys.hasPasskey(shopper!.merchantId, shopper!.customerId), false);
  });

  test("a challenge made for another customer or purpose is unknown here", async () => {
    const [shopper, other] = await createMerchantWithCustomers(2);
    const authenticator = new SoftwareAuthenticator();
    const { challengeId, options } = await passkeys.registrationOptions({
      ...other!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    const response = authenticator.create(options, { origin: ORIGIN });
    await assert.rejects(
      passkeys.verifyRegistration({ ...shopper!, livemode: false, challengeId, response, rp }),
      apiError(400, "passkey_challenge_invalid"),
    );
    // Still good for its own customer (not spent by the refused attempt).
    await passkeys.verifyRegistration({ ...other!, livemode: false, challengeId, response, rp });

    const auth = await passkeys.authenticationOptions({ ...other!, rpId: RP.id });
    const assertion = authenticator.get(auth.options, { origin: ORIGIN });
    const registration = await passkeys.registrationOptions({
      ...other!,
      livemode: false,
      userName: "s",
      userDisplayName: "S",
      rp: RP,
    });
    await assert.rejects(
      passkeys.verifyAuthentication({
        ...other!,
        challengeId: registration.challengeId,
        response: assertion,
        rp,
      }),
      apiError(400, "passkey_challenge_invalid"),
    );
  });

  test("the customer must be the merchant's, in the same mode, and not deleted", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const [stranger] = await createMerchantWithCustomers(1);
    const request = (merchantId: string, livemode: boolean) =>
      passkeys.registrationOptions({
        merchantId,
        customerId: shopper!.customerId,
        livemode,
        userName: "s",
        userDisplayName: "S",
        rp: RP,
      });
    await assert.rejects(request(stranger!.merchantId, false), apiError(404, "resource_missing"));
    await assert.rejects(request(shopper!.merchantId, true), apiError(404, "resource_missing"));
    await createCustomerService(t.ctx).remove(
      { merchantId: shopper!.merchantId, livemode: false, keyKind: "secret", keyId: "key_test" },
      shopper!.customerId,
      {},
    );
    await assert.rejects(request(shopper!.merchantId, false), apiError(404, "resource_missing"));
  });
});

describe("authentication", () => {
  async function authenticate(
    shopper: Shopper,
    authenticator: SoftwareAuthenticator,
    overrides: Parameters<SoftwareAuthenticator["get"]>[1] = { origin: ORIGIN },
  ) {
    const { challengeId, options } = await passkeys.authenticationOptions({ ...shopper, rpId: RP.id });
    const response = authenticator.get(options, overrides);
    return passkeys.verifyAuthentication({ ...shopper, challengeId, response, rp });
  }

  test("options for a customer without passkeys: passkey_not_registered", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    await assert.rejects(
      passkeys.authenticationOptions({ ...shopper!, rpId: RP.id }),
      apiError(400, "passkey_not_registered"),
    );
  });

  test("wrong origin, wrong RP ID, no user verification, a bad signature: refused", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(shopper!, authenticator);
    for (const [overrides, pattern] of [
      [{ origin: "https://evil.example.net" }, /origin/],
      [{ origin: ORIGIN, rpId: "evil.example.net" }, /RP ID/],
      [{ origin: ORIGIN, userVerified: false }, /User verification/],
      [{ origin: ORIGIN, type: "webauthn.create" }, /type/],
    ] as const) {
      await assert.rejects(authenticate(shopper!, authenticator, overrides), (error: unknown) => {
        apiError(400, "passkey_verification_failed")(error);
        assert.match((error as ApiError).message, pattern);
        return true;
      });
    }
    // A signature by a key other than the registered one.
    const { challengeId, options } = await passkeys.authenticationOptions({ ...shopper!, rpId: RP.id });
    const response = authenticator.get(options, { origin: ORIGIN });
    const impostor = new SoftwareAuthenticator();
    await registerPasskey((await createMerchantWithCustomers(1))[0]!, impostor);
    const forged = impostor.get(options, {
      origin: ORIGIN,
      credentialId: [...impostor.credentials.keys()][0],
    });
    await assert.rejects(
      passkeys.verifyAuthentication({
        ...shopper!,
        challengeId,
        response: {
          ...forged,
          id: response.id,
          rawId: response.rawId,
          response: { ...forged.response, userHandle: response.response.userHandle },
        },
        rp,
      }),
      (error: unknown) => {
        apiError(400, "passkey_verification_failed")(error);
        assert.match((error as ApiError).message, /signature/);
        return true;
      },
    );
    const [row] = await passkeys.list(shopper!.merchantId, shopper!.customerId);
    assert.equal(row?.last_used, null);
  });

  test("a challenge is single-use: replaying an assertion fails", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(shopper!, authenticator);
    const { challengeId, options } = await passkeys.authenticationOptions({ ...shopper!, rpId: RP.id });
    const response = authenticator.get(options, { origin: ORIGIN });
    await passkeys.verifyAuthentication({ ...shopper!, challengeId, response, rp });
    await assert.rejects(
      passkeys.verifyAuthentication({ ...shopper!, challengeId, response, rp }),
      apiError(400, "passkey_challenge_used"),
    );
  });

  test("an expired challenge is refused", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(shopper!, authenticator);
    const { challengeId, options } = await passkeys.authenticationOptions({ ...shopper!, rpId: RP.id });
    const response = authenticator.get(options, { origin: ORIGIN });
    clock.advance(PASSKEY_CHALLENGE_TTL_MS - 1);
    const early = await passkeys.authenticationOptions({ ...shopper!, rpId: RP.id });
    clock.advance(1);
    await assert.rejects(
      passkeys.verifyAuthentication({ ...shopper!, challengeId, response, rp }),
      apiError(400, "passkey_challenge_expired"),
    );
    // One issued later is still good.
    const late = authenticator.get(early.options, { origin: ORIGIN });
    await passkeys.verifyAuthentication({ ...shopper!, challengeId: early.challengeId, response: late, rp });
  });

  test("another customer's passkey is refused", async () => {
    const [alice, bob] = await createMerchantWithCustomers(2);
    const alicesPhone = new SoftwareAuthenticator();
    const bobsPhone = new SoftwareAuthenticator();
    await registerPasskey(alice!, alicesPhone);
    await registerPasskey(bob!, bobsPhone);
    // Bob's checkout asks for Bob's passkeys, but Alice's device answers with hers.
    const { challengeId, options } = await passkeys.authenticationOptions({ ...bob!, rpId: RP.id });
    const response = alicesPhone.get(options, {
      origin: ORIGIN,
      credentialId: [...alicesPhone.credentials.keys()][0],
    });
    await assert.rejects(
      passkeys.verifyAuthentication({ ...bob!, challengeId, response, rp }),
      apiError(400, "passkey_not_registered"),
    );
  });

  test("another merchant can neither see nor use a passkey", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const [otherShopper] = await createMerchantWithCustomers(1);
    const authenticator = new SoftwareAuthenticator();
    const { passkeyId } = await registerPasskey(shopper!, authenticator);
    const otherMerchant = otherShopper!.merchantId;

    assert.equal(await passkeys.hasPasskey(otherMerchant, shopper!.customerId), false);
    assert.deepEqual(await passkeys.list(otherMerchant, shopper!.customerId), []);
    await assert.rejects(
      passkeys.remove(otherMerchant, shopper!.customerId, passkeyId),
      apiError(404, "resource_missing"),
    );
    await assert.rejects(
      passkeys.authenticationOptions({
        merchantId: otherMerchant,
        customerId: shopper!.customerId,
        rpId: RP.id,
      }),
      apiError(404, "resource_missing"),
    );

    // The other merchant's own customer, with a passkey of their own, presenting this credential.
    await registerPasskey(otherShopper!, new SoftwareAuthenticator());
    const { challengeId, options } = await passkeys.authenticationOptions({ ...otherShopper!, rpId: RP.id });
    const response = authenticator.get(options, {
      origin: ORIGIN,
      credentialId: [...authenticator.credentials.keys()][0],
    });
    await assert.rejects(
      passkeys.verifyAuthentication({ ...otherShopper!, challengeId, response, rp }),
      apiError(400, "passkey_not_registered"),
    );
    assert.equal(await passkeys.hasPasskey(shopper!.merchantId, shopper!.customerId), true);
  });

  test("a signature counter that does not move forward is refused", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const authenticator = new SoftwareAuthenticator({ counter: true });
    const { passkeyId } = await registerPasskey(shopper!, authenticator);
    await authenticate(shopper!, authenticator); // 1
    await authenticate(shopper!, authenticator); // 2
    const stored = async () =>
      (
        await passkeyTables(t.ctx.db)
          .selectFrom("passkeys")
          .select("sign_count")
          .where("id", "=", passkeyId)
          .executeTakeFirstOrThrow()
      ).sign_count;
    assert.equal(await stored(), 2n);
    for (const signCount of [1, 2, 0]) {
      await assert.rejects(
        authenticate(shopper!, authenticator, { origin: ORIGIN, signCount }),
        (error: unknown) => {
          apiError(400, "passkey_counter_regression")(error);
          assert.match((error as ApiError).message, new RegExp(`last seen 2, received ${signCount}`));
          return true;
        },
      );
    }
    assert.equal(await stored(), 2n);
    await authenticate(shopper!, authenticator); // 3
    assert.equal(await stored(), 3n);
  });

  test("remove", async () => {
    const [shopper] = await createMerchantWithCustomers(1);
    const authenticator = new SoftwareAuthenticator();
    const { passkeyId } = await registerPasskey(shopper!, authenticator);
    const [other] = await createMerchantWithCustomers(1);
    await assert.rejects(
      passkeys.remove(shopper!.merchantId, other!.customerId, passkeyId),
      apiError(404, "resource_missing"),
    );
    assert.deepEqual(await passkeys.remove(shopper!.merchantId, shopper!.customerId, passkeyId), {
      id: passkeyId,
      object: "passkey",
      deleted: true,
    });
    assert.equal(await passkeys.hasPasskey(shopper!.merchantId, shopper!.customerId), false);
    await assert.rejects(
      passkeys.authenticationOptions({ ...shopper!, rpId: RP.id }),
      apiError(400, "passkey_not_registered"),
    );
  });
});
