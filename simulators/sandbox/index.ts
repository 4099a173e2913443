/**
 * The sandbox card processor: a local stand-in with its own wire protocol, test cards, 3-D Secure
 * page, signed notifications and fault injection. Start one per test with `startSandboxSimulator`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLifecycle } from "../common/lifecycle.ts";
import { createFaultBook, type SandboxFault } from "./faults.ts";
import { type SimulatorLogger, silentLogger } from "./logger.ts";
import { createNotifier } from "./notifier.ts";
import type { OperationContext } from "./responses.ts";
import { createRequestHandler } from "./server.ts";
import { createStore } from "./store.ts";

export type { SandboxFault } from "./faults.ts";
export type { SimulatorLogger } from "./logger.ts";

export interface SandboxSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Delay before timeout-card charges and late refunds reach their final state. */
  resolveAfterMs?: number;
  now?: () => Date;
  logger?: false | SimulatorLogger;
  /** Waits between notification attempts; one more attempt than entries. */
  notificationRetryDelaysMs?: number[];
}

export interface SandboxSimulator {
  url: string;
  close(): Promise<void>;
  injectFault(fault: SandboxFault): void;
  clearFaults(): void;
  chargeCount(apiKey?: string): number;
}

function formatUrl(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export async function startSandboxSimulator(
  options: SandboxSimulatorOptions = {},
): Promise<SandboxSimulator> {
  const logger = options.logger ? options.logger : silentLogger;
  const now = options.now ?? (() => new Date());
  const lifecycle = createLifecycle();
  const faults = createFaultBook();
  const store = createStore();
  let url = "";
  const ctx: OperationContext = {
    store,
    lifecycle,
    now,
    resolveAfterMs: options.resolveAfterMs ?? 300,
    baseUrl: () => url,
    notifier: createNotifier({
      now,
      lifecycle,
      faults,
      logger,
      retryDelaysMs: options.notificationRetryDelaysMs ?? [200, 1000, 3000],
    }),
  };

  const server = createServer(createRequestHandler({ ctx, faults, logger }));
  // Longer than the connector's idle keep-alive, so the client is the side that retires idle sockets.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  url = formatUrl(server.address() as AddressInfo);
  logger.info({ url }, "sandbox simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    chargeCount: (apiKey) => store.chargeCount(apiKey),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await lifecycle.close();
        await stopped;
      })();
      return closing;
    },
  };
}
