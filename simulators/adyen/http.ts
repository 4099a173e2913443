/** Replies as values, and the few helpers that read requests and write replies. */
import type { IncomingMessage, ServerResponse } from "node:http";

export type Sent = { kind: "send"; status: number; headers: Record<string, string>; body: string };
export type Reply = Sent | { kind: "hang_up" };

const MAX_BODY_BYTES = 1 << 20;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Sent {
  return {
    kind: "send",
    status,
    headers: { "content-type": "application/json;charset=UTF-8", ...headers },
    body: body === null ? "" : JSON.stringify(body),
  };
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
    body,
  };
}

export function redirect(location: string): Sent {
  return {
    kind: "send",
    status: 303,
    headers: { location, "content-type": "text/plain; charset=utf-8" },
    body: "",
  };
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
  const body = truncate ? reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) : reply.body;
  const buffer = Buffer.from(body, "utf8");
  res.writeHead(truncate ? 200 : reply.status, { ...reply.headers, "content-length": String(buffer.length) });
  res.end(buffer);
}

export function matchPath(pattern: RegExp, path: string): string[] | null {
  const match = pattern.exec(path);
  if (!match) return null;
  try {
    return match.slice(1).map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
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
