/**
 * WeChat Pay's two kinds of response-signing material, both generated at start: the platform certificate
 * (an RSA key in an X.509 certificate named by its hex serial number) and the newer WeChat Pay public key
 * (a bare RSA key named PUB_KEY_ID_…). Merchants are moving from the first to the second.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import type { RandomSource } from "./ids.ts";

export interface PlatformCertificate {
  /** Upper-case hex, as WeChat writes it in Wechatpay-Serial. */
  serialNo: string;
  certificatePem: string;
  publicKeyPem: string;
  privateKey: KeyObject;
  effectiveTime: Date;
  expireTime: Date;
}

export interface WechatpayPublicKey {
  /** PUB_KEY_ID_ followed by 28 digits. */
  keyId: string;
  publicKeyPem: string;
  privateKey: KeyObject;
}

export interface PlatformKeys {
  certificate: PlatformCertificate;
  publicKey: WechatpayPublicKey;
}

const RSA_PARAMS = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
} as const;

function pem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, "$&\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

interface RsaKeys {
  pair: CryptoKeyPair;
  privateKey: KeyObject;
  publicKeyPem: string;
}

async function fromPrivateKey(privateKey: KeyObject): Promise<RsaKeys> {
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: "spki", format: "der" });
  const pair = {
    privateKey: await crypto.subtle.importKey("pkcs8", pkcs8, RSA_PARAMS, true, ["sign"]),
    publicKey: await crypto.subtle.importKey("spki", spki, RSA_PARAMS, true, ["verify"]),
  };
  return { pair, privateKey, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

async function rsaKeys(given: KeyObject | string | undefined): Promise<RsaKeys> {
  if (given !== undefined) return fromPrivateKey(typeof given === "string" ? createPrivateKey(given) : given);
  const pair = await crypto.subtle.generateKey(RSA_PARAMS, true, ["sign", "verify"]);
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const privateKey = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const publicKeyPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  return { pair, privateKey, publicKeyPem };
}

function distinguishedName(commonName: string): pkijs.RelativeDistinguishedNames {
  const attributes: Array<[string, string]> = [
    ["2.5.4.6", "CN"],
    ["2.5.4.10", "Tenpay.com"],
    ["2.5.4.11", "Tenpay.com CA Center"],
    ["2.5.4.3", commonName],
  ];
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: attributes.map(
      ([type, value]) =>
        new pkijs.AttributeTypeAndValue({
          type,
          value:
            type === "2.5.4.6" ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
        }),
    ),
  });
}

/** 20 bytes, positive, so the hex serial is 40 characters like WeChat's. */
function certificateSerial(random: RandomSource): Buffer {
  const bytes = Buffer.from(random(20));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return bytes;
}

async function platformCertificate(
  random: RandomSource,
  now: Date,
  keys: RsaKeys,
): Promise<PlatformCertificate> {
  const { pair, privateKey, publicKeyPem } = keys;
  const serial = certificateSerial(random);
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: new Uint8Array(serial).buffer });
  certificate.issuer = distinguishedName("Tenpay.com Root CA");
  certificate.subject = distinguishedName("Tenpay.com sign");
  const effectiveTime = new Date(Math.floor(now.getTime() / 1000) * 1000 - 24 * 3600 * 1000);
  const expireTime = new Date(effectiveTime.getTime() + 5 * 365 * 24 * 3600 * 1000);
  certificate.notBefore.value = effectiveTime;
  certificate.notAfter.value = expireTime;
  const engine = new pkijs.CryptoEngine({ name: "wechatpay-simulator", crypto: globalThis.crypto });
  await certificate.subjectPublicKeyInfo.importKey(pair.publicKey, engine);
  // The real one is issued by Tenpay's root; here the platform key signs its own certificate.
  await certificate.sign(pair.privateKey, "SHA-256", engine);
  return {
    serialNo: serial.toString("hex").toUpperCase(),
    certificatePem: pem("CERTIFICATE", certificate.toSchema().toBER(false)),
    publicKeyPem,
    privateKey,
    effectiveTime,
    expireTime,
  };
}

export interface PlatformKeyOptions {
  random?: RandomSource;
  now?: Date;
  /** RSA-2048 private keys to use instead of generating them (tests keep fixed ones: generation is slow). */
  privateKeys?: { certificate: KeyObject | string; publicKey: KeyObject | string };
}

/** A platform certificate and a WeChat Pay public key; pass the result to several simulators to share them. */
export async function generatePlatformKeys(options: PlatformKeyOptions = {}): Promise<PlatformKeys> {
  const random =
    options.random ?? ((size: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(size))));
  const [certificateKeys, bare] = await Promise.all([
    rsaKeys(options.privateKeys?.certificate),
    rsaKeys(options.privateKeys?.publicKey),
  ]);
  const certificate = await platformCertificate(random, options.now ?? new Date(), certificateKeys);
  const digits = [...random(26)].map((byte) => byte % 10).join("");
  return {
    certificate,
    publicKey: {
      keyId: `PUB_KEY_ID_01${digits}`,
      publicKeyPem: bare.publicKeyPem,
      privateKey: bare.privateKey,
    },
  };
}
