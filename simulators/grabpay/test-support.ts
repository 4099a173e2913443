/**
 * Helpers for the simulator's own tests: a partner client whose signing is written here from GrabPay's
 * published layout (not imported from the simulator), the shopper's clicks, and a webhook receiver.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { GrabPaySimulator, PartnerRegistration } from "./index.ts";

export function clientHmac(
  secret: string,
  method: string,
  contentType: string,
  date: string,
  path: string,
  body: string,
) {
  const digest =
    method === "GET" || body === "" ? "" : createHash("sha256").update(body, "utf8").digest("base64");
  const message = `${method}\n${contentType}\n${date}\n${path}\n${digest}\n`;
  return createHmac("sha256", secret).update(message, "utf8").digest("base64");
}

export function clientPop(clientSecret: string, accessToken: string, at: Date): string {
  const time = Math.round(at.getTime() / 1000);
  const sig = createHmac("sha256", clientSecret).update(`${time}${accessToken}`).digest("base64");
  const payload = JSON.stringify({
    sig: sig.replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_"),
    time_since_epoch: time,
  });
  return Buffer.from(payload).toString("base64").replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_");
}

export function newPartner(webhookUrl?: string): PartnerRegistration {
  const id = randomBytes(6).toString("hex");
  return {
    partnerId: `partner-${id}`,
    partnerSecret: randomBytes(24).toString("base64"),
    clientId: `client-${id}`,
    clientSecret: randomBytes(24).toString("hex"),
    merchantId: `merchant-${id}`,
    redirectUris: ["https://shop.example/grabpay/return"],
    ...(webhookUrl ? { webhookUrl } : {}),
  };
}

export function uniqueId(prefix = "tx"): string {
  return `${prefix}${randomBytes(10).toString("hex")}`;
}

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the wire JSON
  json: any;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, text, headers: response.headers, json };
}

export interface SignOptions {
  date?: Date;
  contentType?: string | null;
  partnerId?: string;
  secret?: string;
}

export async function partnerCall(
  sim: GrabPaySimulator,
  partner: PartnerRegistration,
  clock: () => Date,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  options: SignOptions = {},
): Promise<Answer> {
  const raw = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  const date = (options.date ?? clock()).toUTCString();
  const contentType = options.contentType === undefined ? "application/json" : options.contentType;
  const signature = clientHmac(
    options.secret ?? partner.partnerSecret,
    method,
    contentType ?? "application/json",
    date,
    path,
    raw,
  );
  const headers: Record<string, string> = {
    date,
    authorization: `${options.partnerId ?? partner.partnerId}:${signature}`,
  };
  if (contentType !== null) headers["content-type"] = contentType;
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body: method === "GET" ? undefined : raw,
  });
  return answer(response);
}

export async function tokenCall(
  sim: GrabPaySimulator,
  partner: PartnerRegistration,
  clock: () => Date,
  accessToken: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  pop?: string,
): Promise<Answer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${accessToken}`,
    date: clock().toUTCString(),
    "content-type": "application/json",
    "x-gid-aux-pop": pop ?? clientPop(partner.clientSecret, accessToken, clock()),
  };
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer(response);
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface Started {
  partnerTxID: string;
  partnerGroupTxID: string;
  request: string;
  verifier: string;
  state: string;
  page: Answer;
  formAction: string;
}

export function initBody(partner: PartnerRegistration, overrides: Record<string, unknown> = {}) {
  return {
    partnerTxID: uniqueId("p"),
    partnerGroupTxID: uniqueId("g"),
    amount: 1500,
    currency: "SGD",
    merchantID: partner.merchantId,
    description: "Order 42",
    ...overrides,
  };
}

export function authorizeUrl(
  sim: GrabPaySimulator,
  partner: PartnerRegistration,
  request: string,
  challenge: string,
  state: string,
  overrides: Record<string, string> = {},
): string {
  const params = new URLSearchParams({
    acr_values: "consent_ctx:countryCode=SG,currency=SGD",
    client_id: partner.clientId,
    code_challenge: challenge,
    code_challenge_method: "S256",
    nonce: uniqueId("n"),
    redirect_uri: partner.redirectUris[0] ?? "",
    request,
    response_type: "code",
    scope: "openid payment.one_time_charge",
    state,
    ...overrides,
  });
  return `${sim.url}/grabid/v1/oauth2/authorize?${params}`;
}

/** Charge init, then the shopper opens the authorize URL and sees the consent page. */
export async function startCharge(
  sim: GrabPaySimulator,
  partner: PartnerRegistration,
  clock: () => Date,
  overrides: Record<string, unknown> = {},
): Promise<Started> {
  const body = initBody(partner, overrides);
  const init = await partnerCall(sim, partner, clock, "POST", "/grabpay/partner/v2/charge/init", body);
  if (init.status !== 200) throw new Error(`charge init failed: ${init.text}`);
  const { verifier, challenge } = pkcePair();
  const state = uniqueId("s");
  const currency = String(body.currency);
  const page = await answer(
    await fetch(
      authorizeUrl(sim, partner, init.json.request, challenge, state, {
        acr_values: `consent_ctx:countryCode=SG,currency=${currency}`,
      }),
      { redirect: "manual" },
    ),
  );
  const formAction = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1] ?? "";
  return {
    partnerTxID: String(body.partnerTxID),
    partnerGroupTxID: String(body.partnerGroupTxID),
    request: init.json.request,
    verifier,
    state,
    page,
    formAction,
  };
}

/** The shopper presses a button; returns the redirect's query (or the page when there is none). */
export async function clickConsent(
  sim: GrabPaySimulator,
  started: Started,
  action: "approve" | "fail" | "decline" | "abandon",
  paymentMethod = "GPWALLET",
): Promise<{ status: number; location: URL | null; text: string }> {
  const response = await fetch(`${sim.url}${started.formAction}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ action, paymentMethod }).toString(),
    redirect: "manual",
  });
  const location = response.headers.get("location");
  return {
    status: response.status,
    location: location ? new URL(location) : null,
    text: await response.text(),
  };
}

export async function exchangeCode(
  sim: GrabPaySimulator,
  partner: PartnerRegistration,
  code: string,
  verifier: string,
  overrides: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${sim.url}/grabid/v1/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "authorization_code",
      client_id: partner.clientId,
      client_secret: partner.clientSecret,
      code_verifier: verifier,
      redirect_uri: partner.redirectUris[0],
      code,
      ...overrides,
    }),
  });
  return answer(response);
}

/** Init → consent approved → token: what a connector has before charge/complete. */
export async function approvedCharge(
  sim: GrabPaySimulator,
  partner: PartnerRegistration,
  clock: () => Date,
  overrides: Record<string, unknown> = {},
): Promise<Started & { accessToken: string; code: string }> {
  const started = await startCharge(sim, partner, clock, overrides);
  const clicked = await clickConsent(sim, started, "approve");
  const code = clicked.location?.searchParams.get("code") ?? "";
  const token = await exchangeCode(sim, partner, code, started.verifier);
  if (token.status !== 200) throw new Error(`token exchange failed: ${token.text}`);
  return { ...started, accessToken: token.json.access_token, code };
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the notification JSON
  body: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status codes (or "destroy") for the next deliveries; 200 afterwards. */
  script(answers: Array<number | "destroy">): void;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let answers: Array<number | "destroy"> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      received.push({ path: req.url ?? "/", headers: req.headers, raw, body });
      const next = answers.shift() ?? 200;
      if (next === "destroy") {
        req.socket.destroy();
        return;
      }
      res.writeHead(next, { "content-type": "text/plain" });
      res.end(next === 200 ? "OK" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script(next) {
      answers = [...next];
    },
    async waitFor(count, timeoutMs = 5000) {
      await waitUntil(() => received.length >= count, timeoutMs, `expected ${count} notifications`);
      return received.slice(0, count);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** True when a notification carries a valid partner HMAC for `partner` (checked with the test's signer). */
export function notificationSigned(received: Received, partner: PartnerRegistration): boolean {
  const authorization = String(received.headers.authorization ?? "");
  const [partnerId, signature] = authorization.split(":");
  const expected = clientHmac(
    partner.partnerSecret,
    "POST",
    String(received.headers["content-type"] ?? ""),
    String(received.headers.date ?? ""),
    received.path,
    received.raw,
  );
  return partnerId === partner.partnerId && signature === expected;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in ${timeoutMs} ms`);
    await sleep(10);
  }
}
