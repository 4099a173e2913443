/** Merchants the simulator knows: the key that verifies their requests and the key that encrypts to them. */
import { createPublicKey, type KeyObject } from "node:crypto";

/**
 * How responses and notifications to this merchant are signed: with the platform certificate, with the
 * WeChat Pay public key, or alternating between the two (the migration period, where both must verify).
 */
export type PlatformSigning = "certificate" | "public_key" | "mixed";

export interface MerchantRegistration {
  mchid: string;
  /** The public key of the merchant API certificate (PEM: SPKI, PKCS#1 or a certificate). */
  merchantPublicKeyPem: string;
  /** The merchant API certificate's serial number, sent as serial_no in Authorization. */
  merchantSerialNo: string;
  /** 32 ASCII characters: the key notifications and /v3/certificates are encrypted under. */
  apiV3Key: string;
  platformSigning?: PlatformSigning;
  /** AppIDs bound to this merchant; when given, any other appid is APPID_MCHID_NOT_MATCH. */
  appIds?: string[];
  /** Fee rate in hundredths of a percent for the trade bill (default 60 = 0.60%). */
  feeRateBasisPoints?: number;
  /** The refund notification URL set in the merchant platform; a refund's own notify_url wins. */
  refundNotifyUrl?: string;
}

export interface Merchant {
  mchid: string;
  publicKey: KeyObject;
  serialNo: string;
  apiV3Key: string;
  platformSigning: PlatformSigning;
  appIds: ReadonlySet<string> | null;
  feeRateBasisPoints: number;
  refundNotifyUrl: string | undefined;
  /** Counts signatures in "mixed" mode. */
  signed: number;
}

export interface Merchants {
  register(registration: MerchantRegistration): void;
  get(mchid: string): Merchant | undefined;
  setPlatformSigning(mchid: string, signing: PlatformSigning): void;
}

export function createMerchants(): Merchants {
  const byId = new Map<string, Merchant>();
  return {
    register(registration) {
      if (!/^\d{1,32}$/.test(registration.mchid)) throw new TypeError("mchid is up to 32 digits");
      if (Buffer.byteLength(registration.apiV3Key, "utf8") !== 32) {
        throw new TypeError("apiV3Key must be 32 bytes");
      }
      if (!/^[0-9A-Fa-f]{1,64}$/.test(registration.merchantSerialNo)) {
        throw new TypeError("merchantSerialNo is a hex certificate serial number");
      }
      byId.set(registration.mchid, {
        mchid: registration.mchid,
        publicKey: createPublicKey(registration.merchantPublicKeyPem),
        serialNo: registration.merchantSerialNo,
        apiV3Key: registration.apiV3Key,
        platformSigning: registration.platformSigning ?? "certificate",
        appIds: registration.appIds ? new Set(registration.appIds) : null,
        feeRateBasisPoints: registration.feeRateBasisPoints ?? 60,
        refundNotifyUrl: registration.refundNotifyUrl,
        signed: 0,
      });
    },
    get: (mchid) => byId.get(mchid),
    setPlatformSigning(mchid, signing) {
      const merchant = byId.get(mchid);
      if (!merchant) throw new Error(`unknown merchant ${mchid}`);
      merchant.platformSigning = signing;
    },
  };
}
