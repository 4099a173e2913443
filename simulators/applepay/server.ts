/**
 * A local stand-in for Apple Pay's merchant validation gateway over HTTPS with mutual TLS:
 *   POST /paymentservices/paymentSession  {merchantIdentifier, displayName, initiative, initiativeContext}
 * The TLS server requires a client certificate issued by the simulator's merchant CA; the request is
 * answered with a merchant session only when the body's merchantIdentifier is the one that certificate was
 * issued for (its SHA-256 is the certificate's merchant id extension) and initiativeContext is a plain domain.
 * Errors are Apple's `{ statusMessage, statusCode }` with statusCode a string.
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { APPLE_MERCHANT_ID_OID } from "./authority.ts";
import { createMerchantSession } from "./merchant-session.ts";
import { simulatorIdentities } from "./tls-identities.ts";

export const PAYMENT_SESSION_PATH = "/paymentservices/paymentSession";
const MAX_BODY_BYTES = 64 * 1024;
const INITIATIVES = new Set(["web", "messaging", "in_app"]);

export type ApplePaySimulatorFault = "http_500" | "malformed_json" | "hang";

export interface ApplePaySimulatorOptions {
  /** Default 127.0.0.1 (IPv4 address or DNS name: it goes into the server certificate). */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  now?: () => Date;
  /** The merchant the identity certificate is issued for. Default merchant.com.payrail.simulator. */
  merchantIdentifier?: string;
  random?: (size: number) => Buffer;
}

export interface ApplePaySimulator {
  /** https://host:port (origin). */
  url: string;
  /** The validation URL a browser would receive: url + /paymentservices/paymentSession. */
  paymentSessionUrl: string;
  /** host:port, for a client's allow-list of gateway hosts. */
  host: string;
  /** CA of the server certificate. */
  caCertPem: string;
  merchantIdentity: {
    certificatePem: string;
    privateKeyPem: string;
    merchantIdentifier: string;
    merchantIdHex: string;
  };
  /** Every following session request fails this way, until called with null. */
  setFault(fault: ApplePaySimulatorFault | null): void;
  requestCount(): number;
  close(): Promise<void>;
}

const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** A host name with at least two labels, no scheme, port, path or trailing dot, and not an IP address. */
function isPlainDomain(value: string): boolean {
  const labels = value.split(".");
  return (
    value.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    !/^\d+$/.test(labels[labels.length - 1] ?? "")
  );
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

const failure = (status: number, statusMessage: string) => ({ statusMessage, statusCode: String(status) });

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    request.on("error", reject);
  });
}

function clientMerchantId(request: IncomingMessage): string | undefined {
  const raw = (request.socket as TLSSocket).getPeerCertificate().raw;
  if (!raw) return undefined;
  const certificate = pkijs.Certificate.fromBER(raw);
  const found = certificate.extensions?.find((e) => e.extnID === APPLE_MERCHANT_ID_OID);
  const inner = found ? asn1js.fromBER(found.extnValue.valueBlock.valueHexView).result : undefined;
  return inner instanceof asn1js.Utf8String ? inner.valueBlock.value.toUpperCase() : undefined;
}

interface SessionBody {
  merchantIdentifier: string;
  displayName: string;
  initiative: string;
  initiativeContext: string;
}

function readSessionBody(raw: Buffer): SessionBody | string {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return "request body is not JSON";
  }
  if (typeof body !== "object" || body === null) return "request body is not a JSON object";
  const fields = body as Record<string, unknown>;
  for (const name of ["merchantIdentifier", "displayName", "initiative", "initiativeContext"]) {
    if (typeof fields[name] !== "string" || fields[name] === "") return `${name} is required`;
  }
  const parsed = fields as unknown as SessionBody;
  if (!INITIATIVES.has(parsed.initiative)) return `initiative=${parsed.initiative} is not supported`;
  if ([...parsed.displayName].length > 64) return "displayName is longer than 64 characters";
  return parsed;
}

export async function startApplePaySimulator(
  options: ApplePaySimulatorOptions = {},
): Promise<ApplePaySimulator> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? (() => new Date());
  const random = options.random ?? randomBytes;
  const identities = await simulatorIdentities(
    host,
    options.merchantIdentifier ?? "merchant.com.payrail.simulator",
    now(),
  );
  let fault: ApplePaySimulatorFault | null = null;
  let requests = 0;

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    requests += 1;
    const path = (request.url ?? "/").split("?")[0];
    if (path !== PAYMENT_SESSION_PATH) return reply(response, 404, failure(404, "Not Found"));
    if (request.method !== "POST") return reply(response, 405, failure(405, "Method Not Allowed"));
    if (fault === "hang") return;
    if (fault === "http_500")
      return reply(response, 500, failure(500, "Payment Services Exception Internal Error"));
    const raw = await readBody(request);
    if (!raw) return reply(response, 413, failure(413, "Payment Services Exception request too large"));
    const body = readSessionBody(raw);
    if (typeof body === "string")
      return reply(response, 400, failure(400, `Payment Services Exception ${body}`));
    const certificateMerchantId = clientMerchantId(request);
    const requestedMerchantId = createHash("sha256")
      .update(body.merchantIdentifier)
      .digest("hex")
      .toUpperCase();
    if (!certificateMerchantId || certificateMerchantId !== requestedMerchantId) {
      return reply(
        response,
        400,
        failure(
          400,
          `Payment Services Exception pspId=${certificateMerchantId ?? "unknown"} unauthorized to process ` +
            `transactions on behalf of merchantId=${requestedMerchantId}`,
        ),
      );
    }
    if (!isPlainDomain(body.initiativeContext)) {
      return reply(
        response,
        400,
        failure(400, "Payment Services Exception initiativeContext is not a valid domain"),
      );
    }
    const session = await createMerchantSession({
      now: now(),
      random,
      merchantIdHex: certificateMerchantId,
      displayName: body.displayName,
      domainName: body.initiativeContext,
      signer: identities.server,
    });
    if (fault === "malformed_json") return reply(response, 200, JSON.stringify(session).slice(0, 40));
    reply(response, 200, session);
  }

  const server = createServer(
    {
      key: identities.server.privateKeyPem,
      cert: identities.server.certificatePem,
      ca: identities.merchantCa.certificatePem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
    },
    (request, response) => {
      answer(request, response).catch(() => {
        if (!response.headersSent)
          reply(response, 500, failure(500, "Payment Services Exception Internal Error"));
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostPort = `${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url: `https://${hostPort}`,
    paymentSessionUrl: `https://${hostPort}${PAYMENT_SESSION_PATH}`,
    host: hostPort,
    caCertPem: identities.serverCa.certificatePem,
    merchantIdentity: {
      certificatePem: identities.merchant.certificatePem,
      privateKeyPem: identities.merchant.privateKeyPem,
      merchantIdentifier: identities.merchantIdentifier,
      merchantIdHex: identities.merchantIdHex,
    },
    setFault(next) {
      fault = next;
    },
    requestCount: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
