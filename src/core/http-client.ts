import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export class HttpTimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * A small keep-alive HTTP client for provider calls. fetch costs several times more CPU per request
 * (web streams, abort signals), and provider calls are on every payment's path.
 */
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 }),
};

const MAX_BODY = 4 * 1024 * 1024;

export function sendRequest(options: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer | undefined;
  timeoutMs: number;
}): Promise<HttpResponse> {
  const url = new URL(options.url);
  const secure = url.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  const body =
    options.body === undefined
      ? undefined
      : Buffer.isBuffer(options.body)
        ? options.body
        : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method,
        agent: secure ? agents.https : agents.http,
        headers: { ...options.headers, ...(body ? { "content-length": String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) {
            req.destroy(new Error("response body too large"));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(new HttpTimeoutError(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
