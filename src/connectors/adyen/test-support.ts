/** Helpers for the Adyen connector tests: a local stub HTTP server and ready-made requests. */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  AuthorizeRequest,
  CallContext,
  ConnectorAccount,
  WalletTokenAuthorizeRequest,
} from "../contract.ts";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

export type StubReply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "reset" }
  | { kind: "hang" }
  | { kind: "raw"; status: number; text: string };

export interface Stub {
  url: string;
  requests: RecordedRequest[];
  /** Replies are taken from this queue first, then from `handler`. */
  queue: StubReply[];
  handler: (request: RecordedRequest) => StubReply;
  close(): Promise<void>;
}

export async function startStub(handler: Stub["handler"] = () => ({ status: 404 })): Promise<Stub> {
  const hanging = new Set<ServerResponse>();
  const stub: Stub = {
    url: "",
    requests: [],
    queue: [],
    handler,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      stub.requests.push(recorded);
      const reply = stub.queue.shift() ?? stub.handler(recorded);
      if ("kind" in reply) {
        if (reply.kind === "reset") req.socket.destroy();
        else if (reply.kind === "hang") hanging.add(res);
        else res.writeHead(reply.status, { "content-type": "application/json" }).end(reply.text);
        return;
      }
      res
        .writeHead(reply.status, { "content-type": "application/json", ...reply.headers })
        .end(reply.body === undefined ? "" : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

export const API_KEY = "AQEyhmfxKonIYxZGw0m/n3Q5qf3VaY9UCJ14XWZE03G2";
export const HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
export const MERCHANT = "PayrailTestMerchant";

export function newAccount(config: Record<string, unknown> = {}, livemode = false): ConnectorAccount {
  return {
    id: `mca_${randomBytes(6).toString("hex")}`,
    merchantId: "acct_test",
    livemode,
    connector: "adyen",
    config: { api_key: API_KEY, merchant_account: MERCHANT, hmac_key: HMAC_KEY, ...config },
  };
}

export function newCall(
  overrides: Partial<CallContext> = {},
  config: Record<string, unknown> = {},
): CallContext {
  return {
    account: newAccount(config),
    notificationUrl: "http://127.0.0.1:9/v1/hooks/adyen/mca_test",
    timeoutMs: 2000,
    ...overrides,
  };
}

export function nextRef(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
}

export function authorizeRequest(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return {
    reference: nextRef("pi_a1"),
    paymentIntentId: nextRef("pi"),
    amount: 1000n,
    currency: "eur",
    capture: false,
    card: {
      number: "4111111111111111",
      exp_month: 3,
      exp_year: 2030,
      cvc: "737",
      holder_name: "Ada Lovelace",
    },
    returnUrl: "http://127.0.0.1/pay/return/pi_1",
    description: "Order",
    ...overrides,
  };
}

/** A Google Pay PAYMENT_GATEWAY request; the token is opaque to Payrail (any string will do here). */
export function walletTokenRequest(
  overrides: Partial<WalletTokenAuthorizeRequest> = {},
): WalletTokenAuthorizeRequest {
  const { card: _card, ...common } = authorizeRequest();
  return {
    ...common,
    walletToken: { wallet: "google_pay", token: '{"protocolVersion":"ECv2","signature":"MEQ"}' },
    ...overrides,
  };
}
