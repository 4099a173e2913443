// Cross-checks the generated PKI and CMS with node:crypto and raw DER, not with the pkijs code that made them.
import assert from "node:assert/strict";
import {
  constants,
  createHash,
  generateKeyPairSync,
  privateDecrypt,
  verify,
  X509Certificate,
} from "node:crypto";
import { before, describe, it } from "node:test";
import * as asn1js from "asn1js";
import { type ApplePayTestAuthority, createApplePayTestAuthority, merchantIdHexOf } from "./index.ts";

const now = new Date("2026-02-02T08:00:00Z");
// DER of the OIDs as they appear in Apple's own certificates.
const LEAF_OID_DER = "06092a864886f76364061d";
const INTERMEDIATE_OID_DER = "060a2a864886f7636406020e";

let authority: ApplePayTestAuthority;
before(async () => {
  authority = await createApplePayTestAuthority(now);
});

const merchantKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;

/** signerInfo fields of a CMS ContentInfo(SignedData) read by position, RFC 5652 section 5. */
function readSignerInfo(signatureDer: Buffer) {
  const contentInfo = asn1js.fromBER(new Uint8Array(signatureDer)).result as asn1js.Sequence;
  const explicit = contentInfo.valueBlock.value[1] as asn1js.Constructed;
  const signedData = explicit.valueBlock.value[0] as asn1js.Sequence;
  const fields = signedData.valueBlock.value;
  const signerInfos = fields[fields.length - 1] as asn1js.Set;
  const signerInfo = signerInfos.valueBlock.value[0] as asn1js.Sequence;
  const [, , , signedAttrs, , signature] = signerInfo.valueBlock.value;
  const attributesDer = Buffer.from((signedAttrs as asn1js.Constructed).toBER(false));
  attributesDer[0] = 0x31; // [0] IMPLICIT is signed as a SET OF
  return {
    encapsulated: (fields[2] as asn1js.Sequence).valueBlock.value.length,
    attributesDer,
    signature: Buffer.from((signature as asn1js.OctetString).valueBlock.valueHexView),
  };
}

describe("Apple Pay test authority", () => {
  it("builds root <- intermediate <- leaf with Apple's marker OIDs", () => {
    const root = new X509Certificate(authority.rootCertificatePem);
    const intermediate = new X509Certificate(authority.intermediateCertificatePem);
    const leaf = new X509Certificate(authority.leafCertificatePem);
    assert.ok(root.verify(root.publicKey));
    assert.ok(intermediate.checkIssued(root) && intermediate.verify(root.publicKey));
    assert.ok(leaf.checkIssued(intermediate) && leaf.verify(intermediate.publicKey));
    assert.ok(root.ca && intermediate.ca && !leaf.ca);
    assert.equal(leaf.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
    assert.ok(intermediate.raw.toString("hex").includes(INTERMEDIATE_OID_DER));
    assert.ok(leaf.raw.toString("hex").includes(LEAF_OID_DER));
    assert.ok(new Date(leaf.validFrom) <= now && now <= new Date(leaf.validTo));
  });

  it("signs tokens as Apple does: detached, messageDigest + signingTime, ECDSA by the leaf", async () => {
    const token = await authority.issueToken({
      merchantPublicKeyPem: merchantKey.export({ type: "spki", format: "pem" }) as string,
      merchantIdHex: merchantIdHexOf("merchant.com.payrail.test"),
      payload: {
        pan: "4111111111111111",
        expiry: "301231",
        cryptogram: "AAAA",
        amount: 100,
        currencyCode: "840",
      },
      applicationDataHex: "0a0b",
    });
    assert.deepEqual(Object.keys(token.header).sort(), [
      "applicationData",
      "ephemeralPublicKey",
      "publicKeyHash",
      "transactionId",
    ]);
    assert.equal(
      token.header.publicKeyHash,
      createHash("sha256")
        .update(merchantKey.export({ type: "spki", format: "der" }))
        .digest("base64"),
    );
    const content = Buffer.concat([
      Buffer.from(token.header.ephemeralPublicKey ?? "", "base64"),
      Buffer.from(token.data, "base64"),
      Buffer.from(token.header.transactionId, "hex"),
      Buffer.from("0a0b", "hex"),
    ]);
    const signerInfo = readSignerInfo(Buffer.from(token.signature, "base64"));
    assert.equal(signerInfo.encapsulated, 1, "no eContent: the signature is detached");
    const attributesHex = signerInfo.attributesDer.toString("hex");
    assert.ok(attributesHex.includes(createHash("sha256").update(content).digest("hex")));
    assert.ok(attributesHex.includes("06092a864886f70d010905"), "signingTime attribute");
    const leafKey = new X509Certificate(authority.leafCertificatePem).publicKey;
    assert.ok(verify("sha256", signerInfo.attributesDer, leafKey, signerInfo.signature));
  });

  it("is cached per process for the same clock and options", async () => {
    assert.equal(await createApplePayTestAuthority(now), authority);
    assert.notEqual(await createApplePayTestAuthority(now, { leafWithoutAppleOid: true }), authority);
  });

  it("RSA_v1 tokens carry the key wrapped with RSA-OAEP-SHA256 for the merchant key", async () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const token = await authority.issueToken({
      merchantPublicKeyPem: rsa.publicKey.export({ type: "spki", format: "pem" }) as string,
      payload: {
        pan: "6200000000000005",
        expiry: "301231",
        cryptogram: "AAAA",
        amount: 1,
        currencyCode: "156",
      },
      version: "RSA_v1",
    });
    assert.equal(token.version, "RSA_v1");
    assert.equal(token.header.ephemeralPublicKey, undefined);
    const key = privateDecrypt(
      { key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      Buffer.from(token.header.wrappedKey ?? "", "base64"),
    );
    assert.equal(key.length, 32);
  });
});
