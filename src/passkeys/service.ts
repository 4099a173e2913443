import { createHash } from "node:crypto";
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { unixSeconds } from "../core/clock.ts";
import { ApiError, notFound } from "../core/errors.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { json } from "../db/schema.ts";
import type { AppContext } from "../http/context.ts";
import { type PasskeyChallengePurpose, type PasskeyRow, passkeyTables } from "./types.ts";

/** A challenge is good for this long; the browser prompt gets the same timeout. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Challenges expired longer than this are deleted when the customer is issued a new one. */
const CHALLENGE_RETENTION_MS = 60 * 60 * 1000;
/** COSE algorithm ids: ES256 (every platform authenticator) and RS256 (Windows Hello). */
export const PASSKEY_ALGORITHMS = [-7, -257];
const KNOWN_TRANSPORTS = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);
/** The WebAuthn limit on credential ids is 1023 bytes, 1364 base64url characters. */
const MAX_CREDENTIAL_ID_LENGTH = 1364;

export type PasskeyServiceContext = Pick<AppContext, "db" | "clock" | "ids" | "random">;

export interface RelyingParty {
  /** The RP ID: the checkout's registrable domain (no scheme, no port). */
  id: string;
  /** The page origin(s) the ceremony may run on, e.g. "https://pay.example.com". */
  origin: string | string[];
}

export interface PresentedPasskey {
  id: string;
  object: "passkey";
  livemode: boolean;
  customer: string;
  device_type: string | null;
  backed_up: boolean | null;
  transports: string[];
  created: number;
  last_used: number | null;
}

const passkeyError = (status: number, code: string, message: string, param?: string) =>
  new ApiError(status, { type: "invalid_request_error", code, message, ...(param ? { param } : {}) });

/** Why the library refused a response, without echoing any part of the response itself. */
function verificationFailed(ceremony: "registration" | "authentication", reason: string) {
  return passkeyError(
    400,
    "passkey_verification_failed",
    `The passkey ${ceremony} could not be verified: ${reason}.`,
  );
}

/**
 * The library's messages say which check failed (origin, RP ID, user verification, signature...) and
 * quote only what the server expected or the client reported; they are kept as the reason, trimmed.
 */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.$/, "").slice(0, 300);
}

const notRegistered = (message: string) => passkeyError(400, "passkey_not_registered", message);

export function presentPasskey(row: PasskeyRow): PresentedPasskey {
  return {
    id: row.id,
    object: "passkey",
    livemode: row.livemode,
    customer: row.customer_id,
    device_type: row.device_type,
    backed_up: row.backed_up,
    transports: row.transports ?? [],
    created: unixSeconds(row.created_at),
    last_used: row.last_used_at ? unixSeconds(row.last_used_at) : null,
  };
}

/**
 * The WebAuthn user handle of a customer: stable for a (merchant, customer) pair so an authenticator
 * replaces its own credential for the same shopper instead of adding one, but not the customer id itself
 * (the handle is stored on the device and returned with every assertion).
 */
export function passkeyUserHandle(merchantId: string, customerId: string): Uint8Array<ArrayBuffer> {
  const digest = createHash("sha256").update(`payrail.passkey.user\0${merchantId}\0${customerId}`).digest();
  return new Uint8Array(digest);
}

function knownTransports(transports: readonly unknown[] | undefined): string[] | null {
  if (!Array.isArray(transports)) return null;
  const known = [
    ...new Set(transports.filter((t): t is string => typeof t === "string" && KNOWN_TRANSPORTS.has(t))),
  ];
  return known.length > 0 ? known : null;
}

/** Passkeys a customer registers with a merchant, to confirm saved-card payments instead of the CVC. */
export function createPasskeyService(ctx: PasskeyServiceContext) {
  const db = passkeyTables(ctx.db);
  const newId = (prefix: "pkey" | "pkch") => ctx.ids.next(prefix);

  async function requireCustomer(merchantId: string, customerId: string, livemode?: boolean) {
    let query = db
      .selectFrom("customers")
      .select(["id", "livemode"])
      .where("id", "=", customerId)
      .where("merchant_id", "=", merchantId)
      .where("deleted", "=", false);
    if (livemode !== undefined) query = query.where("livemode", "=", livemode);
    const row = await query.executeTakeFirst();
    if (!row) throw notFound("customer", customerId, "customer");
    return row;
  }

  const customerPasskeys = (merchantId: string, customerId: string) =>
    db
      .selectFrom("passkeys")
      .selectAll()
      .where("merchant_id", "=", merchantId)
      .where("customer_id", "=", customerId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();

  const descriptors = (rows: PasskeyRow[]) =>
    rows.map((row) => ({ id: row.credential_id, ...(row.transports ? { transports: row.transports } : {}) }));

  async function storeChallenge(
    merchantId: string,
    customerId: string,
    purpose: PasskeyChallengePurpose,
    challenge: string,
  ): Promise<string> {
    const now = ctx.clock.now();
    const id = newId("pkch");
    await db
      .deleteFrom("passkey_challenges")
      .where("merchant_id", "=", merchantId)
      .where("customer_id", "=", customerId)
      .where("expires_at", "<", new Date(now.getTime() - CHALLENGE_RETENTION_MS))
      .execute();
    await db
      .insertInto("passkey_challenges")
      .values({
        id,
        merchant_id: merchantId,
        customer_id: customerId,
        purpose,
        challenge,
        expires_at: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_MS),
      })
      .execute();
    return id;
  }

  /**
   * Marks the challenge used and returns it, in one statement: of two verifications naming the same
   * challenge only one gets it. A challenge is spent whatever the verification's outcome.
   */
  async function consumeChallenge(
    merchantId: string,
    customerId: string,
    challengeId: string,
    purpose: PasskeyChallengePurpose,
  ): Promise<string> {
    const now = ctx.clock.now();
    const consumed = await db
      .updateTable("passkey_challenges")
      .set({ used_at: now })
      .where("id", "=", challengeId)
      .where("merchant_id", "=", merchantId)
      .where("customer_id", "=", customerId)
      .where("purpose", "=", purpose)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .returning("challenge")
      .executeTakeFirst();
    if (consumed) return consumed.challenge;
    const found = await db
      .selectFrom("passkey_challenges")
      .select(["used_at", "expires_at"])
      .where("id", "=", challengeId)
      .where("merchant_id", "=", merchantId)
      .where("customer_id", "=", customerId)
      .where("purpose", "=", purpose)
      .executeTakeFirst();
    if (!found) {
      throw passkeyError(
        400,
        "passkey_challenge_invalid",
        `No passkey ${purpose} challenge '${challengeId}' was issued for this customer.`,
        "challenge_id",
      );
    }
    if (found.used_at) {
      throw passkeyError(
        400,
        "passkey_challenge_used",
        `The passkey ${purpose} challenge '${challengeId}' was already used; request new options and try again.`,
        "challenge_id",
      );
    }
    throw passkeyError(
      400,
      "passkey_challenge_expired",
      `The passkey ${purpose} challenge '${challengeId}' expired (challenges are valid for ${PASSKEY_CHALLENGE_TTL_MS / 60000} minutes); request new options and try again.`,
      "challenge_id",
    );
  }

  return {
    /** Options for navigator.credentials.create(), and the id of the challenge they carry. */
    async registrationOptions(input: {
      merchantId: string;
      livemode: boolean;
      customerId: string;
      userName: string;
      userDisplayName: string;
      rp: { id: string; name: string };
    }): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
      await requireCustomer(input.merchantId, input.customerId, input.livemode);
      const existing = await customerPasskeys(input.merchantId, input.customerId);
      const options = await generateRegistrationOptions({
        rpName: input.rp.name,
        rpID: input.rp.id,
        userName: input.userName,
        userDisplayName: input.userDisplayName,
        userID: passkeyUserHandle(input.merchantId, input.customerId),
        challenge: new Uint8Array(ctx.random(32)),
        timeout: PASSKEY_CHALLENGE_TTL_MS,
        attestationType: "none",
        excludeCredentials: descriptors(existing),
        authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
        supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
      });
      const challengeId = await storeChallenge(
        input.merchantId,
        input.customerId,
        "registration",
        options.challenge,
      );
      return { challengeId, options };
    },

    /** Checks the browser's attestation against the challenge and stores the new credential. */
    async verifyRegistration(input: {
      merchantId: string;
      livemode: boolean;
      customerId: string;
      challengeId: string;
      response: RegistrationResponseJSON;
      rp: RelyingParty;
    }): Promise<{ passkeyId: string }> {
      await requireCustomer(input.merchantId, input.customerId, input.livemode);
      const expectedChallenge = await consumeChallenge(
        input.merchantId,
        input.customerId,
        input.challengeId,
        "registration",
      );
      let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verification = await verifyRegistrationResponse({
          response: input.response,
          expectedChallenge,
          expectedOrigin: input.rp.origin,
          expectedRPID: input.rp.id,
          requireUserPresence: true,
          requireUserVerification: true,
          supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
        });
      } catch (error) {
        throw verificationFailed("registration", reasonOf(error));
      }
      if (!verification.verified) {
        throw verificationFailed("registration", "the attestation statement was not valid");
      }
      const info = verification.registrationInfo;
      if (!info.userVerified) {
        throw verificationFailed("registration", "the authenticator did not verify the user");
      }
      const credentialId = info.credential.id;
      if (input.response.id !== credentialId) {
        throw verificationFailed(
          "registration",
          "the credential id of the response differs from the one in the authenticator data",
        );
      }
      if (credentialId.length > MAX_CREDENTIAL_ID_LENGTH) {
        throw verificationFailed("registration", "the credential id is longer than WebAuthn allows");
      }
      const transports = knownTransports(info.credential.transports);
      const passkeyId = newId("pkey");
      try {
        await db
          .insertInto("passkeys")
          .values({
            id: passkeyId,
            merchant_id: input.merchantId,
            livemode: input.livemode,
            customer_id: input.customerId,
            credential_id: credentialId,
            public_key: Buffer.from(info.credential.publicKey),
            sign_count: BigInt(info.credential.counter),
            transports: transports ? json(transports) : null,
            device_type: info.credentialDeviceType,
            backed_up: info.credentialBackedUp,
            created_at: ctx.clock.now(),
          })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw passkeyError(
            409,
            "passkey_already_registered",
            "This passkey is already registered with this merchant; it can be used as it is.",
          );
        }
        throw error;
      }
      return { passkeyId };
    },

    /** Options for navigator.credentials.get(), limited to the customer's passkeys. */
    async authenticationOptions(input: {
      merchantId: string;
      customerId: string;
      rpId: string;
    }): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
      await requireCustomer(input.merchantId, input.customerId);
      const existing = await customerPasskeys(input.merchantId, input.customerId);
      if (existing.length === 0) {
        throw notRegistered(
          "This customer has no passkey registered; confirm the payment with the card's CVC.",
        );
      }
      const options = await generateAuthenticationOptions({
        rpID: input.rpId,
        allowCredentials: descriptors(existing),
        challenge: new Uint8Array(ctx.random(32)),
        timeout: PASSKEY_CHALLENGE_TTL_MS,
        userVerification: "required",
      });
      const challengeId = await storeChallenge(
        input.merchantId,
        input.customerId,
        "authentication",
        options.challenge,
      );
      return { challengeId, options };
    },

    /** Checks the browser's assertion: the customer's own passkey, user verified, counter moving on. */
    async verifyAuthentication(input: {
      merchantId: string;
      customerId: string;
      challengeId: string;
      response: AuthenticationResponseJSON;
      rp: RelyingParty;
    }): Promise<{ passkeyId: string }> {
      await requireCustomer(input.merchantId, input.customerId);
      const expectedChallenge = await consumeChallenge(
        input.merchantId,
        input.customerId,
        input.challengeId,
        "authentication",
      );
      const credentialId = input.response?.id;
      if (typeof credentialId !== "string" || credentialId.length === 0) {
        throw verificationFailed("authentication", "the response names no credential");
      }
      const passkey = await db
        .selectFrom("passkeys")
        .selectAll()
        .where("merchant_id", "=", input.merchantId)
        .where("credential_id", "=", credentialId)
        .executeTakeFirst();
      // Another customer's passkey is reported exactly like an unknown one.
      if (!passkey || passkey.customer_id !== input.customerId) {
        throw notRegistered("The passkey used is not registered for this customer.");
      }
      const userHandle = input.response.response?.userHandle;
      const expectedHandle = Buffer.from(passkeyUserHandle(input.merchantId, input.customerId)).toString(
        "base64url",
      );
      if (userHandle && userHandle.replace(/=+$/, "") !== expectedHandle) {
        throw verificationFailed("authentication", "the passkey was created for another user");
      }
      const storedCount = passkey.sign_count;
      let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        verification = await verifyAuthenticationResponse({
          response: input.response,
          expectedChallenge,
          expectedOrigin: input.rp.origin,
          expectedRPID: input.rp.id,
          // The counter is checked below, once the signature is known to be good, so that a regression
          // is reported as such (the library would report it as a generic failure before the signature).
          credential: {
            id: passkey.credential_id,
            publicKey: new Uint8Array(passkey.public_key),
            counter: 0,
            ...(passkey.transports ? { transports: passkey.transports } : {}),
          },
          requireUserVerification: true,
        });
      } catch (error) {
        throw verificationFailed("authentication", reasonOf(error));
      }
      if (!verification.verified) {
        throw verificationFailed("authentication", "the signature does not match the passkey's public key");
      }
      const info = verification.authenticationInfo;
      if (!info.userVerified) {
        throw verificationFailed("authentication", "the authenticator did not verify the user");
      }
      const received = BigInt(info.newCounter);
      const counterRegression = () =>
        passkeyError(
          400,
          "passkey_counter_regression",
          `The passkey's signature counter did not increase (last seen ${storedCount}, received ${received}): ` +
            "the authenticator may have been cloned, so the passkey was not accepted.",
        );
      // WebAuthn: when either counter is non-zero, the new one must be greater than the stored one.
      if ((received > 0n || storedCount > 0n) && received <= storedCount) throw counterRegression();
      // The same rule, atomically against concurrent uses of this passkey.
      const updated = await db
        .updateTable("passkeys")
        .set({
          sign_count: received,
          last_used_at: ctx.clock.now(),
          device_type: info.credentialDeviceType,
          backed_up: info.credentialBackedUp,
        })
        .where("id", "=", passkey.id)
        .where("merchant_id", "=", input.merchantId)
        .where("customer_id", "=", input.customerId)
        .where("sign_count", received === 0n ? "=" : "<", received)
        .returning("id")
        .executeTakeFirst();
      if (!updated) throw counterRegression();
      return { passkeyId: passkey.id };
    },

    async hasPasskey(merchantId: string, customerId: string): Promise<boolean> {
      const row = await db
        .selectFrom("passkeys")
        .select("id")
        .where("merchant_id", "=", merchantId)
        .where("customer_id", "=", customerId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async list(merchantId: string, customerId: string): Promise<PresentedPasskey[]> {
      return (await customerPasskeys(merchantId, customerId)).map(presentPasskey);
    },

    async remove(
      merchantId: string,
      customerId: string,
      passkeyId: string,
    ): Promise<{ id: string; object: "passkey"; deleted: true }> {
      const removed = await db
        .deleteFrom("passkeys")
        .where("id", "=", passkeyId)
        .where("merchant_id", "=", merchantId)
        .where("customer_id", "=", customerId)
        .returning("id")
        .executeTakeFirst();
      if (!removed) throw notFound("passkey", passkeyId);
      return { id: passkeyId, object: "passkey", deleted: true };
    },
  };
}

export type PasskeyService = ReturnType<typeof createPasskeyService>;
