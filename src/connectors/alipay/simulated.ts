/**
 * Test-mode accounts on the Alipay simulator: a fresh app id and merchant PID per merchant, sharing one
 * app key pair per `simulatedAccounts` call (RSA key generation is slow). `register` tells the simulator
 * the app's public key, derived from the stored private key, so it holds across restarts.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import type { AlipaySimulator } from "../../../simulators/alipay/index.ts";
import { alipayConfigSchema } from "./config.ts";

function randomDigits(random: (n: number) => Buffer, length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      // 250 is the largest multiple of 10 below 256: rejecting the rest keeps every digit equally likely.
      if (byte < 250 && out.length < length) out += String(byte % 10);
    }
  }
  return out;
}

export function simulatedAccounts(sim: AlipaySimulator): {
  config(random: (n: number) => Buffer): Record<string, unknown>;
  register(config: Record<string, unknown>): void;
} {
  const appPrivateKeyPem = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  return {
    config(random) {
      return {
        app_id: `2021${randomDigits(random, 12)}`,
        app_private_key: appPrivateKeyPem,
        alipay_public_key: sim.alipayPublicKeyPem,
        seller_id: `2088${randomDigits(random, 12)}`,
      };
    },
    register(config) {
      const parsed = alipayConfigSchema.parse(config);
      const appPublicKeyPem = createPublicKey(createPrivateKey(parsed.app_private_key))
        .export({ type: "spki", format: "pem" })
        .toString();
      sim.registerApp({ appId: parsed.app_id, appPublicKeyPem, sellerId: parsed.seller_id });
    },
  };
}
