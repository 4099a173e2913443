/**
 * A stand-in for Apple's token signing PKI: own root, an "Application Integration" intermediate (OID
 * 1.2.840.113635.100.6.2.14) and a signing leaf (OID 1.2.840.113635.100.6.29), all P-256. It issues payment
 * tokens exactly shaped and signed like a device's, for a merchant key of the caller's choice.
 */
import { createHash, createPublicKey, type KeyObject, randomBytes, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { signDetached } from "./cms.ts";
import { certifyPublicKey, extension, issueCertificate, OID } from "./pki.ts";
import { type Encrypted, encryptEcV1, encryptRsaV1 } from "./token-crypto.ts";

export const APPLE_LEAF_OID = "1.2.840.113635.100.6.29";
export const APPLE_INTERMEDIATE_OID = "1.2.840.113635.100.6.2.14";
export const APPLE_MERCHANT_ID_OID = "1.2.840.113635.100.6.32";

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;

export interface TestAuthorityOptions {
  /** Faults: issue the leaf or intermediate without Apple's marker extension. */
  leafWithoutAppleOid?: boolean;
  intermediateWithoutAppleOid?: boolean;
  /** Default: one day before `now` to one year after. */
  leafValidity?: { notBefore: Date; notAfter: Date };
}

export interface TestTokenPayload {
  pan: string;
  /** YYMMDD. */
  expiry: string;
  cryptogram: string;
  eci?: string;
  /** Minor units. */
  amount: bigint | number;
  /** ISO 4217 numeric, e.g. "978". */
  currencyCode: string;
  deviceManufacturerIdentifier?: string;
  cardholderName?: string;
}

export interface IssueTokenRequest {
  /** The merchant payment processing public key (EC P-256 for EC_v1, RSA for RSA_v1) or its certificate. */
  merchantPublicKeyPem?: string;
  merchantCertificatePem?: string;
  /** Hex of the 32-byte merchant id; default: read from merchantCertificatePem. EC_v1 only. */
  merchantIdHex?: string;
  payload: TestTokenPayload;
  /** Default: the authority's `now`. */
  signingTime?: Date;
  version?: "EC_v1" | "RSA_v1";
  /** Hex; signed along, as when the merchant sets applicationData on the payment request. */
  applicationDataHex?: string;
  /** Hex; default 32 random bytes. */
  transactionIdHex?: string;
  /** Source of the transaction id and the RSA_v1 symmetric key. Default crypto.randomBytes. */
  random?: (size: number) => Buffer;
  faults?: {
    /** Keep only this many bytes of data (ciphertext || tag), signed as such. */
    truncateDataTo?: number;
    /** Encrypt these bytes instead of the payload JSON. */
    plaintext?: string;
    omitSigningTime?: boolean;
  };
}

/** The `paymentData` object a device hands over. */
export interface TestPaymentData {
  version: "EC_v1" | "RSA_v1";
  data: string;
  signature: string;
  header: {
    ephemeralPublicKey?: string;
    wrappedKey?: string;
    publicKeyHash: string;
    transactionId: string;
    applicationData?: string;
  };
}

export interface ApplePayTestAuthority {
  rootCertificatePem: string;
  intermediateCertificatePem: string;
  leafCertificatePem: string;
  issueToken(request: IssueTokenRequest): Promise<TestPaymentData>;
  /** A payment processing certificate for a merchant key, carrying the merchant id extension. */
  issueMerchantCertificate(request: {
    merchantIdentifier: string;
    publicKeyPem: string;
  }): Promise<{ certificatePem: string; merchantIdHex: string }>;
}

/** Apple's merchant id: the SHA-256 of the merchant identifier, upper-case hex. */
export const merchantIdHexOf = (merchantIdentifier: string) =>
  createHash("sha256").update(merchantIdentifier, "utf8").digest("hex").toUpperCase();

const marker = (oid: string) => extension(oid, new asn1js.Null());

function merchantIdFromCertificate(pem: string): string {
  const certificate = pkijs.Certificate.fromBER(new X509Certificate(pem).raw);
  const found = certificate.extensions?.find((e) => e.extnID === APPLE_MERCHANT_ID_OID);
  if (!found) throw new Error("merchant certificate has no merchant id extension");
  const inner = asn1js.fromBER(found.extnValue.valueBlock.valueHexView).result;
  if (!(inner instanceof asn1js.Utf8String)) throw new Error("merchant id extension is not a UTF8String");
  return inner.valueBlock.value;
}

function merchantKey(request: IssueTokenRequest): KeyObject {
  if (request.merchantPublicKeyPem) return createPublicKey(request.merchantPublicKeyPem);
  if (request.merchantCertificatePem) return new X509Certificate(request.merchantCertificatePem).publicKey;
  throw new Error("issueToken needs merchantPublicKeyPem or merchantCertificatePem");
}

function payloadJson(payload: TestTokenPayload): string {
  const amount = Number(payload.amount);
  if (!Number.isSafeInteger(amount)) throw new Error("payload.amount must be a safe integer");
  return JSON.stringify({
    applicationPrimaryAccountNumber: payload.pan,
    applicationExpirationDate: payload.expiry,
    currencyCode: payload.currencyCode,
    transactionAmount: amount,
    ...(payload.cardholderName === undefined ? {} : { cardholderName: payload.cardholderName }),
    deviceManufacturerIdentifier: payload.deviceManufacturerIdentifier ?? "040010030273",
    paymentDataType: "3DSecure",
    paymentData: {
      onlinePaymentCryptogram: payload.cryptogram,
      ...(payload.eci === undefined ? {} : { eciIndicator: payload.eci }),
    },
  });
}

async function createChain(now: Date, options: TestAuthorityOptions) {
  const organization: Array<[string, string]> = [
    [OID.organizationalUnit, "Payrail Simulator Certification Authority"],
    [OID.organization, "Payrail Simulator"],
    [OID.country, "US"],
  ];
  const root = await issueCertificate({
    subject: [[OID.commonName, "Payrail Simulator Apple Root CA"], ...organization],
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 20 * YEAR),
    role: "ca",
  });
  const intermediate = await issueCertificate({
    subject: [[OID.commonName, "Payrail Simulator Application Integration CA"], ...organization],
    issuer: root,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 10 * YEAR),
    role: "ca",
    extensions: options.intermediateWithoutAppleOid ? [] : [marker(APPLE_INTERMEDIATE_OID)],
  });
  const leaf = await issueCertificate({
    subject: [[OID.commonName, "payrail-simulator-smp-broker-sign"], ...organization],
    issuer: intermediate,
    notBefore: options.leafValidity?.notBefore ?? new Date(now.getTime() - DAY),
    notAfter: options.leafValidity?.notAfter ?? new Date(now.getTime() + YEAR),
    role: "signing",
    extensions: options.leafWithoutAppleOid ? [] : [marker(APPLE_LEAF_OID)],
  });
  return { root, intermediate, leaf };
}

function encrypt(request: IssueTokenRequest, plaintext: Buffer): Encrypted {
  const key = merchantKey(request);
  if ((request.version ?? "EC_v1") === "RSA_v1") {
    return encryptRsaV1(key, plaintext, (request.random ?? randomBytes)(32));
  }
  const merchantIdHex =
    request.merchantIdHex ??
    (request.merchantCertificatePem ? merchantIdFromCertificate(request.merchantCertificatePem) : undefined);
  if (!merchantIdHex) throw new Error("EC_v1 needs merchantIdHex or merchantCertificatePem");
  return encryptEcV1(key, Buffer.from(merchantIdHex, "hex"), plaintext);
}

function buildAuthority(now: Date, chain: Awaited<ReturnType<typeof createChain>>): ApplePayTestAuthority {
  const { root, intermediate, leaf } = chain;
  return {
    rootCertificatePem: root.certificatePem,
    intermediateCertificatePem: intermediate.certificatePem,
    leafCertificatePem: leaf.certificatePem,

    async issueToken(request) {
      const version = request.version ?? "EC_v1";
      const plaintext = Buffer.from(request.faults?.plaintext ?? payloadJson(request.payload), "utf8");
      const encrypted = encrypt(request, plaintext);
      const data =
        request.faults?.truncateDataTo === undefined
          ? encrypted.data
          : encrypted.data.subarray(0, request.faults.truncateDataTo);
      const transactionId = request.transactionIdHex ?? (request.random ?? randomBytes)(32).toString("hex");
      const applicationData = request.applicationDataHex;
      const signedContent = Buffer.concat([
        encrypted.keyMaterial,
        data,
        Buffer.from(transactionId, "hex"),
        Buffer.from(applicationData ?? "", "hex"),
      ]);
      const signature = await signDetached(signedContent, {
        signer: leaf,
        certificates: [leaf.certificate, intermediate.certificate],
        ...(request.faults?.omitSigningTime ? {} : { signingTime: request.signingTime ?? now }),
      });
      const spki = merchantKey(request).export({ type: "spki", format: "der" });
      return {
        version,
        data: data.toString("base64"),
        signature: signature.toString("base64"),
        header: {
          ...(version === "EC_v1"
            ? { ephemeralPublicKey: encrypted.keyMaterial.toString("base64") }
            : { wrappedKey: encrypted.keyMaterial.toString("base64") }),
          publicKeyHash: createHash("sha256").update(spki).digest("base64"),
          transactionId,
          ...(applicationData === undefined ? {} : { applicationData }),
        },
      };
    },

    async issueMerchantCertificate({ merchantIdentifier, publicKeyPem }) {
      const merchantIdHex = merchantIdHexOf(merchantIdentifier);
      const spki = createPublicKey(publicKeyPem).export({ type: "spki", format: "der" });
      const { certificatePem } = await certifyPublicKey(
        {
          subject: [
            [OID.userId, merchantIdentifier],
            [OID.commonName, `Apple Pay Payment Processing:${merchantIdentifier}`],
            [OID.country, "US"],
          ],
          issuer: intermediate,
          notBefore: new Date(now.getTime() - DAY),
          notAfter: new Date(now.getTime() + 2 * YEAR),
          role: "tls",
          extensions: [extension(APPLE_MERCHANT_ID_OID, new asn1js.Utf8String({ value: merchantIdHex }))],
        },
        spki,
      );
      return { certificatePem, merchantIdHex };
    },
  };
}

// Key generation and signing are cheap but not free on a slow machine: one chain per (now, options) per process.
const authorities = new Map<string, Promise<ApplePayTestAuthority>>();

export function createApplePayTestAuthority(
  now: Date,
  options: TestAuthorityOptions = {},
): Promise<ApplePayTestAuthority> {
  const key = JSON.stringify([now.getTime(), options]);
  let authority = authorities.get(key);
  if (!authority) {
    authority = createChain(now, options).then((chain) => buildAuthority(now, chain));
    authorities.set(key, authority);
    authority.catch(() => authorities.delete(key));
  }
  return authority;
}
