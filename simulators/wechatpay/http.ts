/** Replies as values, and the few helpers that read requests and write replies. */
import type { IncomingMessage, ServerResponse } from "node:http";

export type Sent = {
  kind: "send";
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** API replies carry the Wechatpay-* signature headers; pages and bill files do not. */
  sign: boolean;
};
export type Reply = Sent | { kind: "hang_up" };

const MAX_BODY_BYTES = 1 << 20;

export function json(status: number, body: unknown): Sent {
  return {
    kind: "send",
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: Buffer.from(body === null ? "" : JSON.stringify(body), "utf8"),
    sign: true,
  };
}

export function noContent(): Sent {
  return { kind: "send", status: 204, headers: {}, body: Buffer.alloc(0), sign: true };
}

export function html(status: number, body: string): Sent {
  return {
    kind: "send",
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:",
      "cache-control": "no-store",
    },
    body: Buffer.from(body, "utf8"),
    sign: false,
  };
}

export function file(contentType: string, body: Buffer): Sent {
  return { kind: "send", status: 200, headers: { "content-type": contentType }, body, sign: false };
}

export function redirect(location: string): Sent {
  return { kind: "send", status: 303, headers: { location }, body: Buffer.alloc(0), sign: false };
}

/** Null when the body is larger than the simulator accepts. */
export async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `truncate` sends half of the body with status 200: the malformed-response fault. */
export function send(res: ServerResponse, reply: Reply, truncate = false): void {
  if (reply.kind === "hang_up") {
    res.socket?.destroy();
    return;
  }
  if (res.destroyed) return;
  const body = truncate ? reply.body.subarray(0, Math.max(1, Math.floor(reply.body.length / 2))) : reply.body;
  res.writeHead(truncate ? 200 : reply.status, { ...reply.headers, "content-length": String(body.length) });
  res.end(body);
}

/** Key order does not make two bodies different requests. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
