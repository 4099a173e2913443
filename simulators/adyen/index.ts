/**
 * A stateful local Adyen: Checkout API v71 (payments, details, captures, cancels, refunds, reversals,
 * technical cancels), Management API v3 webhook configuration, HMAC-signed standard webhooks, a 3-D
 * Secure challenge page and fault injection. Every request and every produced body is validated
 * against Adyen's published OpenAPI specs. Start one per test with `startAdyenSimulator`.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLifecycle } from "../common/lifecycle.ts";
import type { Context } from "./context.ts";
import { type AdyenFault, createFaultBook } from "./faults.ts";
import { createGooglePayRecipient, GOOGLE_PAY_RECIPIENT_ID, type GoogleRootKeys } from "./googlepay.ts";
import { createIds, type RandomSource } from "./ids.ts";
import { type SimulatorLogger, silentLogger } from "./logger.ts";
import { createNotifier } from "./notifier.ts";
import { createRequestHandler } from "./server.ts";
import { compileSpecValidators } from "./spec.ts";
import { createStore } from "./store.ts";

export type { AdyenFault } from "./faults.ts";
export type { GoogleRootKeys } from "./googlepay.ts";
export type { RandomSource } from "./ids.ts";
export type { SimulatorLogger } from "./logger.ts";

export interface AdyenSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  now?: () => Date;
  /** Random bytes for PSP references, tokens and HMAC keys; crypto.randomBytes by default. */
  random?: RandomSource;
  /** Delay before timeout-card payments reach their outcome (default 300 ms). */
  resolveAfterMs?: number;
  /** Delay before a modification is processed and its webhook sent (default 100 ms); also the automatic
   * capture delay. */
  modificationDelayMs?: number;
  logger?: false | SimulatorLogger;
  /** Waits between webhook delivery attempts; one more attempt than entries (default [200, 1000, 3000]). */
  notificationRetryDelaysMs?: number[];
  /**
   * A body that fails Adyen's spec is a simulator bug. Strict (the default under `node --test`): the
   * request is answered 500, the webhook is not sent, and `close()` rejects with the first violation.
   * Otherwise the violation is logged and the body is sent anyway.
   */
  strictResponses?: boolean;
  /** The folder holding CheckoutService-v71.json and Webhooks-v1.json; defaults to ../shared/specs/adyen. */
  specDir?: URL;
  /**
   * Google's root signing keys (the JSON of Google's keys URL) that Google Pay tokens must chain to.
   * Without them `paymentMethod.type: "googlepay"` is answered 422 (905, not configured).
   */
  googlePayRootKeys?: GoogleRootKeys;
}

export interface AdyenSimulator {
  url: string;
  close(): Promise<void>;
  injectFault(fault: AdyenFault): void;
  clearFaults(): void;
  /** Payments created by `POST /payments` (refused ones included), for one API key or all. */
  paymentCount(apiKey?: string): number;
  /** Adyen's Google Pay encryption key (P-256, uncompressed point, base64), generated at start. */
  googlePayPublicKey: string;
  /** The recipient Google signs PAYMENT_GATEWAY tokens for: "gateway:adyen". */
  googlePayRecipientId: string;
}

function formatUrl(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export class SpecViolationError extends Error {
  override name = "SpecViolationError";
}

export async function startAdyenSimulator(options: AdyenSimulatorOptions = {}): Promise<AdyenSimulator> {
  const logger = options.logger ? options.logger : silentLogger;
  const now = options.now ?? (() => new Date());
  const strict = options.strictResponses ?? process.env.NODE_TEST_CONTEXT !== undefined;
  const lifecycle = createLifecycle();
  const faults = createFaultBook();
  const store = createStore();
  const spec = compileSpecValidators(options.specDir);
  const violations: SpecViolationError[] = [];
  const random = options.random ?? randomBytes;
  // Drawn from the injected source only when Google Pay is on, so other seeded runs replay as before.
  const googlePay = createGooglePayRecipient(
    options.googlePayRootKeys ?? { keys: [] },
    options.googlePayRootKeys ? random : randomBytes,
  );

  function onViolation(message: string): void {
    const violation = new SpecViolationError(`adyen simulator produced a body its spec rejects: ${message}`);
    logger.error({ err: violation }, "spec violation");
    if (!strict) return;
    violations.push(violation);
    throw violation;
  }

  let url = "";
  const ctx: Context = {
    store,
    ids: createIds(random),
    lifecycle,
    now,
    resolveAfterMs: options.resolveAfterMs ?? 300,
    modificationDelayMs: options.modificationDelayMs ?? 100,
    baseUrl: () => url,
    googlePay: options.googlePayRootKeys ? googlePay : null,
    notifier: createNotifier({
      lifecycle,
      faults,
      logger,
      retryDelaysMs: options.notificationRetryDelaysMs ?? [200, 1000, 3000],
      conforms(eventCode, body) {
        const violation = spec.webhook(eventCode, body);
        if (!violation) return true;
        try {
          onViolation(violation);
        } catch {
          return false;
        }
        return true;
      },
    }),
  };

  const server = createServer(createRequestHandler({ ctx, faults, logger, spec, onViolation }));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  url = formatUrl(server.address() as AddressInfo);
  logger.info({ url }, "adyen simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    paymentCount: (apiKey) => store.paymentCount(apiKey),
    googlePayPublicKey: googlePay.publicKeyUncompressedBase64,
    googlePayRecipientId: GOOGLE_PAY_RECIPIENT_ID,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await lifecycle.close();
        await stopped;
        if (violations[0]) throw violations[0];
      })();
      return closing;
    },
  };
}
