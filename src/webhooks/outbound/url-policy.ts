import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ApiError } from "../../core/errors.ts";
import { type AddressCategory, classifyAddress, isAddressAllowed, type Mode } from "./addresses.ts";

/**
 * Where webhooks may be sent. Live mode reaches only public addresses (checked on the name's every
 * resolved address when the endpoint is saved, again before each delivery, and on the connection
 * itself, see transport.ts); test mode may also reach loopback and private networks, so a merchant can
 * point it at a local receiver. Cloud metadata, link-local, multicast and unspecified are never allowed.
 */

export const MAX_URL_LENGTH = 2048;

export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

const DESCRIPTION: Record<AddressCategory, string> = {
  public: "public",
  unspecified: "an unspecified",
  loopback: "a loopback",
  private: "a private",
  cgnat: "a carrier-grade NAT",
  link_local: "a link-local",
  metadata: "a cloud metadata",
  unique_local: "a unique local",
  multicast: "a multicast",
  broadcast: "a broadcast",
  reserved: "a reserved",
  invalid: "an invalid",
};

/** Names that are local by definition (RFC 6761) or cloud metadata services. */
const LOCAL_NAMES = /(^|\.)localhost$/;
const METADATA_NAMES =
  /^(metadata|metadata\.google\.internal|metadata\.goog|instance-data(\.ec2\.internal)?)$/;

export const urlInvalid = (message: string) =>
  new ApiError(400, { type: "invalid_request_error", code: "url_invalid", param: "url", message });

/** The host as the connection will use it: no brackets, no trailing dot, lower case. */
export function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

function refuseAddress(host: string, address: string, mode: Mode, resolved: boolean): void {
  if (isAddressAllowed(address, mode)) return;
  const what = DESCRIPTION[classifyAddress(address)];
  const where = resolved
    ? `The host ${host} resolves to ${what} address (${address})`
    : `${address} is ${what} address`;
  throw urlInvalid(`${where}, which ${mode === "live" ? "live-mode " : ""}webhooks cannot be sent to.`);
}

/** Checks that need no network: scheme, credentials, length, IP literals and well-known local names. */
export function parseWebhookUrl(raw: string, mode: Mode): URL {
  if (raw.length > MAX_URL_LENGTH) {
    throw urlInvalid(`The URL is ${raw.length} characters long; the limit is ${MAX_URL_LENGTH}.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw urlInvalid("The URL is not a valid absolute URL such as https://example.com/webhooks.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw urlInvalid(`The URL must use https or http, not ${url.protocol.slice(0, -1)}.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw urlInvalid("The URL must not contain credentials (user:password@).");
  }
  if (url.href.length > MAX_URL_LENGTH) {
    throw urlInvalid(`The URL is longer than ${MAX_URL_LENGTH} characters once encoded.`);
  }
  const host = hostOf(url);
  if (host === "") throw urlInvalid("The URL has no host.");
  // WHATWG parsing already turned decimal, hex and octal IPv4 forms (http://2130706433/) into dotted quads.
  if (isIP(host) !== 0) refuseAddress(host, host, mode, false);
  else if (METADATA_NAMES.test(host)) throw urlInvalid(`${host} is a cloud metadata service.`);
  else if (mode === "live" && LOCAL_NAMES.test(host)) {
    throw urlInvalid(`${host} is a local name, which live-mode webhooks cannot be sent to.`);
  }
  return url;
}

/**
 * The full check: in live mode the host name must resolve, and every address it resolves to must be
 * public. Returns the normalized URL.
 */
export async function checkWebhookUrl(
  raw: string,
  options: { livemode: boolean; resolve?: Resolver | undefined },
): Promise<URL> {
  const mode: Mode = options.livemode ? "live" : "test";
  const url = parseWebhookUrl(raw, mode);
  const host = hostOf(url);
  if (mode === "test" || isIP(host) !== 0) return url;
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch {
    throw urlInvalid(`The host ${host} could not be resolved.`);
  }
  if (addresses.length === 0) throw urlInvalid(`The host ${host} could not be resolved.`);
  for (const address of addresses) refuseAddress(host, address, mode, true);
  return url;
}
