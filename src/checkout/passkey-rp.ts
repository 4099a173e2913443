import type { Config } from "../core/config.ts";

export interface PasskeyRelyingParty {
  id: string;
  name: string;
  origins: string[];
}

/**
 * The domain the checkout page is served from, as wallets and WebAuthn want it: a name, never an IP
 * address, so a loopback deployment (tests, `npm start`) is `localhost`.
 */
export function pageDomain(publicUrl: string): string {
  const { hostname } = new URL(publicUrl);
  return hostname === "127.0.0.1" || hostname === "[::1]" ? "localhost" : hostname;
}

/**
 * Passkeys are bound to Payrail's own domain (the page's origin), never to the shop's: one passkey works
 * on every shop's checkout of this deployment. WebAuthn refuses IP addresses as a relying party, so a
 * loopback deployment (tests, `npm start`) uses `localhost`.
 */
export function passkeyRelyingParty(
  config: Pick<Config, "PAYRAIL_PASSKEY_RP_ID">,
  publicUrl: string,
): PasskeyRelyingParty {
  const url = new URL(publicUrl);
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "[::1]" || url.hostname === "localhost";
  const id = config.PAYRAIL_PASSKEY_RP_ID ?? (loopback ? "localhost" : url.hostname);
  const origins = [url.origin];
  if (loopback) origins.push(`${url.protocol}//localhost${url.port ? `:${url.port}` : ""}`);
  return { id, name: "Payrail checkout", origins: [...new Set(origins)] };
}
