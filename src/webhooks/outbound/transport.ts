import { lookup as dnsLookup } from "node:dns";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { classifyAddress, isAddressAllowed, type Mode } from "./addresses.ts";

/** What the delivery job needs from an HTTP client; the global `fetch` fits it too. */
export interface DeliveryRequest {
  method: "POST";
  headers: Record<string, string>;
  body: string;
  redirect: "manual";
  signal: AbortSignal;
}
export type DeliveryFetch = (url: string, init: DeliveryRequest) => Promise<Response>;

/** Response bodies are read up to this many bytes and thrown away. */
export const RESPONSE_BODY_LIMIT = 64 * 1024;

export class RefusedAddressError extends Error {
  readonly code = "ERR_WEBHOOK_ADDRESS_REFUSED";
}

/**
 * A DNS lookup that refuses the connection when any address the name resolves to is not allowed in
 * `mode`. Used as the socket's lookup, the check applies to the very address connected to, so a name
 * that re-resolves to 127.0.0.1 after the pre-delivery check (DNS rebinding) is still refused.
 */
export function guardedLookup(mode: Mode): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family ?? 0, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const refused = addresses.find((entry) => !isAddressAllowed(entry.address, mode));
      if (refused) {
        const category = classifyAddress(refused.address).replace("_", " ");
        return callback(new RefusedAddressError(`${hostname} resolves to a ${category} address`), "");
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), "");
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * The production client: node:http(s) with the guarded lookup, no redirects followed, no connection
 * reuse between deliveries, the response body read up to RESPONSE_BODY_LIMIT and discarded. The body
 * of the returned Response is always empty.
 */
export function createDeliveryFetch(mode: Mode): DeliveryFetch {
  const lookup = guardedLookup(mode);
  const httpAgent = new HttpAgent({ keepAlive: false });
  const httpsAgent = new HttpsAgent({ keepAlive: false });
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const https = target.protocol === "https:";
      const send = https ? httpsRequest : httpRequest;
      const headers = { ...init.headers, "content-length": String(Buffer.byteLength(init.body)) };
      const req = send(
        target,
        { method: init.method, headers, lookup, agent: https ? httpsAgent : httpAgent, signal: init.signal },
        (res) => {
          const status = res.statusCode ?? 0;
          let size = 0;
          const finish = () => {
            if (status < 200 || status > 599) reject(new Error(`invalid HTTP status ${status}`));
            else resolve(new Response(null, { status }));
          };
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > RESPONSE_BODY_LIMIT) {
              res.destroy();
              finish();
            }
          });
          res.on("end", finish);
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(init.body);
    });
}

/** For a client that does return a body (an injected fetch): read up to the limit, then let go. */
export async function discardBody(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  let size = 0;
  try {
    while (size <= RESPONSE_BODY_LIMIT) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // A body that breaks off changes nothing: the status code is the answer.
  }
}
