/**
 * Endpoint signing secrets are needed in clear to sign, so they cannot be hashed like API keys: they
 * are sealed with the vault keyring, bound to the merchant and the endpoint id.
 */
import type { WebhookEndpointRow } from "../../db/schema.ts";
import type { AppContext } from "../../http/context.ts";

export async function sealSecret(
  ctx: Pick<AppContext, "vault">,
  merchantId: string,
  endpointId: string,
  secret: string,
): Promise<{ secret: string; secret_key_version: string }> {
  const sealed = await ctx.vault.seal(Buffer.from(secret, "utf8"), { merchantId, recordId: endpointId });
  return { secret: sealed.sealed, secret_key_version: sealed.keyVersion };
}

export async function openEndpointSecret(
  ctx: Pick<AppContext, "vault">,
  endpoint: Pick<WebhookEndpointRow, "id" | "merchant_id" | "secret" | "secret_key_version">,
): Promise<string> {
  // Rows from before the vault keep their secret in clear until `payrail vault rotate` seals them.
  if (!endpoint.secret_key_version) return endpoint.secret;
  const plain = await ctx.vault.open(endpoint.secret, {
    merchantId: endpoint.merchant_id,
    recordId: endpoint.id,
  });
  try {
    return plain.toString("utf8");
  } finally {
    plain.fill(0);
  }
}
