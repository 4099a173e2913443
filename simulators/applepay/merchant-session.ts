import { signDetached } from "./cms.ts";
import type { IssuedCertificate } from "./pki.ts";

const SESSION_LIFETIME_MS = 60 * 60 * 1000;

export interface MerchantSessionInput {
  now: Date;
  random: (size: number) => Buffer;
  merchantIdHex: string;
  displayName: string;
  domainName: string;
  signer: IssuedCertificate;
}

/** A merchant session shaped like Apple's; its signature is a hex CMS over the other fields. */
export async function createMerchantSession(input: MerchantSessionInput): Promise<Record<string, unknown>> {
  const epochTimestamp = input.now.getTime();
  const fields = {
    epochTimestamp,
    expiresAt: epochTimestamp + SESSION_LIFETIME_MS,
    merchantSessionIdentifier: `SSH${input.random(16).toString("hex").toUpperCase()}_${input.random(32).toString("hex").toUpperCase()}`,
    nonce: input.random(4).toString("hex"),
    merchantIdentifier: input.merchantIdHex,
    domainName: input.domainName,
    displayName: input.displayName,
  };
  const signature = await signDetached(Buffer.from(JSON.stringify(fields), "utf8"), {
    signer: input.signer,
    certificates: [input.signer.certificate],
    signingTime: input.now,
  });
  return {
    ...fields,
    signature: signature.toString("hex"),
    operationalAnalyticsIdentifier: `${input.displayName}:${input.merchantIdHex}`,
    retries: 0,
    pspId: input.merchantIdHex,
  };
}
