/**
 * Stripe clients from the official SDK, one per secret key and API origin, with `maxNetworkRetries: 0`:
 * retries are Payrail's decision, made with the same idempotency reference. (The SDK still resends once
 * on a connection closed before any answer; that resend carries the same Idempotency-Key, so it cannot
 * charge twice.)
 */
import Stripe from "stripe";
import { isOriginOnly } from "./config.ts";
import { DeadlineExceeded } from "./errors.ts";

const MAX_CLIENTS = 1_000;

function endpointOf(baseUrl: string): { host: string; port: number; protocol: "http" | "https" } {
  if (!isOriginOnly(baseUrl)) {
    throw new Error(`stripe base URL must be an origin without a path, got ${JSON.stringify(baseUrl)}`);
  }
  const url = new URL(baseUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443,
    protocol,
  };
}

export function createStripeClientCache(): { get(secretKey: string, baseUrl: string): Stripe } {
  const clients = new Map<string, Stripe>();
  return {
    get(secretKey, baseUrl) {
      const key = `${secretKey}\n${baseUrl}`;
      const cached = clients.get(key);
      if (cached) return cached;
      const client = new Stripe(secretKey, {
        ...endpointOf(baseUrl),
        maxNetworkRetries: 0,
        telemetry: false,
      });
      if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
      clients.set(key, client);
      return client;
    },
  };
}

/**
 * Runs one SDK call with the call's timeout, both as the SDK's socket timeout and as an overall
 * deadline. A call abandoned at the deadline may still complete at Stripe: that is what the
 * idempotency reference and sync are for.
 */
export function withDeadline<T>(timeoutMs: number, run: (timeout: number) => Promise<T>): Promise<T> {
  const request = run(timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  // The abandoned request may still fail later; nobody is waiting for it any more.
  request.catch(() => {});
  return Promise.race([request, deadline]).finally(() => clearTimeout(timer));
}
