/**
 * The shop's side of Payrail's API: JSON over HTTPS with the secret key, which stays on the server. POSTs
 * carry an Idempotency-Key, so the one retry after a lost connection can never create a second payment.
 */

export class PayrailApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "PayrailApiError";
  }
}

export interface PayrailClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown, idempotencyKey?: string): Promise<T>;
}

export function payrailClient(options: {
  payrailUrl: string;
  secretKey: string;
  fetch?: typeof fetch;
}): PayrailClient {
  const fetchFn = options.fetch ?? fetch;
  const base = options.payrailUrl.replace(/\/+$/, "");

  async function call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.secretKey}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
    const request = () =>
      fetchFn(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(15_000),
      });
    let response: Response;
    try {
      response = await request();
    } catch (error) {
      // Safe to send again only when Payrail can recognise the repeat: a GET, or a POST with its key.
      if (method !== "GET" && !idempotencyKey) throw error;
      response = await request();
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      throw new PayrailApiError(
        response.status,
        typeof error?.code === "string" ? error.code : undefined,
        `Payrail answered ${response.status} to ${method} ${path}: ${
          typeof error?.message === "string" ? error.message : text.slice(0, 200) || response.statusText
        }`,
      );
    }
    if (typeof parsed !== "object" || parsed === null) {
      throw new PayrailApiError(
        response.status,
        undefined,
        `Payrail's answer to ${method} ${path} is not JSON`,
      );
    }
    return parsed as T;
  }

  return {
    get: (path) => call("GET", path),
    post: (path, body, idempotencyKey) => call("POST", path, body, idempotencyKey),
  };
}
