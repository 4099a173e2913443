import type { IncomingMessage } from "node:http";
import { request } from "node:https";
import { createSecureContext, type SecureContextOptions, type TLSSocket } from "node:tls";
import { ApplePaySessionError } from "./errors.ts";
import { APPLE_PAY_GATEWAY_HOSTS } from "./gateway-hosts.ts";

export type ApplePayInitiative = "web" | "messaging" | "in_app";

export interface ApplePaySessionRequest {
  /** The validation URL Apple Pay JS handed to the browser (`onvalidatemerchant` event). */
  url: string;
  merchantIdentifier: string;
  /** Shown on the payment sheet; at most 64 characters. */
  displayName: string;
  initiative: ApplePayInitiative;
  /** The fully qualified domain the payment sheet is shown on, for `web`. */
  initiativeContext: string;
  /** Merchant identity certificate and key, for mutual TLS. */
  certificatePem: string;
  privateKeyPem: string;
  /** Trust only this CA for the server (simulators, tests); default: Node's public roots. */
  caPem?: string;
  /** Default 10 s, for the whole exchange. */
  timeoutMs?: number;
  /** Hosts (`host[:port]`) the URL may point at; default Apple's production and sandbox gateways. */
  allowedHosts?: readonly string[];
}

/** Opaque to us: handed to the browser as is (`completeMerchantValidation`). */
export type ApplePayMerchantSession = Record<string, unknown>;

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const INITIATIVES: readonly string[] = ["web", "messaging", "in_app"];
const CERTIFICATE_ERRORS = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
]);

/** Refuses any URL that is not HTTPS to an allowed host, so a caller cannot point our client elsewhere. */
export function checkSessionUrl(url: string, allowedHosts: readonly string[] = APPLE_PAY_GATEWAY_HOSTS): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ApplePaySessionError("url_not_allowed", "validation URL is not a URL");
  }
  if (parsed.protocol !== "https:")
    throw new ApplePaySessionError("url_not_allowed", "validation URL must be https");
  if (parsed.username !== "" || parsed.password !== "") {
    throw new ApplePaySessionError("url_not_allowed", "validation URL must not carry credentials");
  }
  const allowed = new Set(allowedHosts.map((host) => new URL(`https://${host}`).host));
  if (!allowed.has(parsed.host)) {
    throw new ApplePaySessionError(
      "url_not_allowed",
      `host ${parsed.host} is not an allowed Apple Pay gateway`,
    );
  }
  return parsed;
}

function checkRequest(params: ApplePaySessionRequest): void {
  const fields = ["merchantIdentifier", "displayName", "initiativeContext"] as const;
  for (const field of fields) {
    if (typeof params[field] !== "string" || params[field].trim() === "") {
      throw new ApplePaySessionError("invalid_request", `${field} is required`);
    }
  }
  if ([...params.displayName].length > 64) {
    throw new ApplePaySessionError("invalid_request", "displayName must be at most 64 characters");
  }
  if (!INITIATIVES.includes(params.initiative)) {
    throw new ApplePaySessionError("invalid_request", "initiative must be web, messaging or in_app");
  }
}

function tlsOptions(params: ApplePaySessionRequest): SecureContextOptions {
  const options: SecureContextOptions = {
    cert: params.certificatePem,
    key: params.privateKeyPem,
    ...(params.caPem === undefined ? {} : { ca: params.caPem }),
    minVersion: "TLSv1.2",
  };
  try {
    // Loaded once here only to tell bad credentials apart from a failing handshake.
    createSecureContext(options);
    return options;
  } catch {
    throw new ApplePaySessionError(
      "credentials_invalid",
      "merchant identity certificate, key or CA cannot be loaded (or the key does not match the certificate)",
    );
  }
}

interface ExchangeState {
  handshakeDone: boolean;
  tls13: boolean;
  responded: boolean;
}

function connectionError(error: NodeJS.ErrnoException, state: ExchangeState): ApplePaySessionError {
  const code = error.code ?? "";
  const reset = code === "ECONNRESET" || code === "EPIPE";
  // In TLS 1.3 the server judges the client certificate after the client has finished its handshake, so a
  // refused merchant certificate often shows up as a reset before any response instead of as an alert.
  const refusedAfterHandshake = reset && state.handshakeDone && state.tls13 && !state.responded;
  const tls =
    code.startsWith("ERR_SSL_") ||
    code.startsWith("ERR_TLS_") ||
    CERTIFICATE_ERRORS.has(code) ||
    (reset && !state.handshakeDone) ||
    refusedAfterHandshake;
  if (tls) {
    const hint = refusedAfterHandshake ? "; the gateway probably refused the merchant certificate" : "";
    return new ApplePaySessionError(
      "tls_error",
      `TLS with the Apple Pay gateway failed (${code || "unknown"}${hint})`,
      { cause: error },
    );
  }
  const reason = code || error.message;
  return new ApplePaySessionError("network_error", `Apple Pay gateway unreachable (${reason})`, {
    cause: error,
  });
}

function readBody(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        response.destroy();
        reject(new ApplePaySessionError("malformed_response", "Apple Pay gateway response is too large"));
        return;
      }
      chunks.push(chunk);
    });
    response.on("end", () => resolve(Buffer.concat(chunks)));
    response.on("error", reject);
  });
}

function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function interpret(status: number, body: Buffer): ApplePayMerchantSession {
  const json = parseJsonObject(body);
  if (status !== 200) {
    const statusMessage = typeof json?.statusMessage === "string" ? json.statusMessage : undefined;
    throw new ApplePaySessionError(
      "http_error",
      `Apple Pay gateway answered ${status}${statusMessage ? `: ${statusMessage}` : ""}`,
      { status, ...(statusMessage === undefined ? {} : { statusMessage }) },
    );
  }
  if (!json)
    throw new ApplePaySessionError(
      "malformed_response",
      "Apple Pay gateway answered 200 without a JSON object",
    );
  return json;
}

/**
 * Merchant validation: asks Apple's gateway (over mutual TLS with the merchant identity certificate) for the
 * opaque merchant session object the browser needs to show the payment sheet.
 */
export async function requestApplePaySession(
  params: ApplePaySessionRequest,
): Promise<ApplePayMerchantSession> {
  const url = checkSessionUrl(params.url, params.allowedHosts);
  checkRequest(params);
  const tls = tlsOptions(params);
  const body = JSON.stringify({
    merchantIdentifier: params.merchantIdentifier,
    displayName: params.displayName,
    initiative: params.initiative,
    initiativeContext: params.initiativeContext,
  });
  const timeoutMs = params.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return new Promise((resolve, reject) => {
    const state: ExchangeState = { handshakeDone: false, tls13: false, responded: false };
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const req = request(url, {
      method: "POST",
      agent: false,
      ...tls,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      settle(() =>
        reject(
          new ApplePaySessionError("timeout", `Apple Pay gateway did not answer within ${timeoutMs} ms`),
        ),
      );
    }, timeoutMs);
    req.on("socket", (socket) => {
      const tlsSocket = socket as TLSSocket;
      tlsSocket.once("secureConnect", () => {
        state.handshakeDone = true;
        state.tls13 = tlsSocket.getProtocol() === "TLSv1.3";
      });
    });
    req.on("error", (error) => settle(() => reject(connectionError(error, state))));
    req.on("response", (response) => {
      state.responded = true;
      readBody(response).then(
        (raw) =>
          settle(() => {
            try {
              resolve(interpret(response.statusCode ?? 0, raw));
            } catch (error) {
              reject(error);
            }
          }),
        (error: unknown) =>
          settle(() =>
            reject(
              error instanceof ApplePaySessionError
                ? error
                : connectionError(error as NodeJS.ErrnoException, state),
            ),
          ),
      );
    });
    req.end(body);
  });
}
