/** Replies as values, and the few helpers that read requests and write replies. */
import type { IncomingMessage, ServerResponse } from "node:http";

export type Sent = { kind: "send"; status: number; headers: Record<string, string>; body: Buffer };
export type Reply = Sent | { kind: "hang_up" };

const MAX_BODY_BYTES = 1 << 20;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Sent {
  const text = body === null || body === undefined ? "" : JSON.stringify(body);
  return {
    kind: "send",
    status,
    headers: { ...(text === "" ? {} : { "content-type": "application/json; charset=utf-8" }), ...headers },
    body: Buffer.from(text, "utf8"),
  };
}

export function raw(status: number, body: Buffer | string, headers: Record<string, string>): Sent {
  return { kind: "send", status, headers, body: typeof body === "string" ? Buffer.from(body, "utf8") : body };
}

export function html(status: number, body: string): Sent {
  return raw(status, body, {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:",
    "cache-control": "no-store",
  });
}

export function redirect(location: string): Sent {
  return raw(303, "", { location });
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

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
