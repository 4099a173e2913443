/**
 * Serves root signing keys over HTTP (node:http) at the paths of Google's keys URLs:
 *   /paymentmethodtoken/keys.json  and  /paymentmethodtoken/test/keys.json
 * so a key fetcher can be pointed at it instead of payments.developers.google.com.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GoogleRootKeysDocument } from "./issuer.ts";

export const KEYS_PATHS = ["/paymentmethodtoken/keys.json", "/paymentmethodtoken/test/keys.json"];

export interface GooglePayKeysServerOptions {
  keys: GoogleRootKeysDocument;
  port?: number;
  host?: string;
  /** Sent as Cache-Control max-age, which key fetchers use to decide when to refresh. */
  maxAgeSeconds?: number;
}

export interface GooglePayKeysServer {
  /** Base URL, e.g. http://127.0.0.1:PORT; append one of KEYS_PATHS. */
  url: string;
  /** Replaces the served keys (a root key rotation). */
  setKeys(keys: GoogleRootKeysDocument): void;
  requestCount(): number;
  close(): Promise<void>;
}

export async function startGooglePayKeysServer(
  options: GooglePayKeysServerOptions,
): Promise<GooglePayKeysServer> {
  let body = JSON.stringify(options.keys);
  let requests = 0;
  const maxAge = options.maxAgeSeconds ?? 3600;
  const server = createServer((request, response) => {
    requests += 1;
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (!KEYS_PATHS.includes(path)) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return;
    }
    response.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": `public, max-age=${maxAge}`,
      "content-length": Buffer.byteLength(body),
    });
    response.end(request.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    setKeys(keys) {
      body = JSON.stringify(keys);
    },
    requestCount: () => requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
