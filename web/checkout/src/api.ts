import type { CheckoutView } from "../../../src/checkout/view-types.ts";

export class PageApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The page's only credential: the intent's client secret, sent in a header (never in a URL). */
export function createPageApi(intentId: string, clientSecret: string) {
  const base = `/pay/api/intents/${encodeURIComponent(intentId)}`;
  const headers = { "payrail-client-secret": clientSecret, accept: "application/json" };

  async function call<R = CheckoutView>(path: string, init: RequestInit): Promise<R> {
    const response = await fetch(`${base}${path}`, { ...init, credentials: "omit", cache: "no-store" });
    const body = (await response.json().catch(() => null)) as
      | (R & { error?: { code?: string; message?: string } })
      | null;
    if (!response.ok || !body || body.error)
      throw new PageApiError(response.status, body?.error?.code ?? "unknown", body?.error?.message ?? "");
    return body;
  }

  return {
    /** Passkey ceremonies: options from the server, the browser's answer back to it. */
    post<R>(path: string, body: unknown): Promise<R> {
      return call<R>(path, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    },
    view(locale: string): Promise<CheckoutView> {
      return call(`?locale=${encodeURIComponent(locale)}`, { headers });
    },
    /**
     * One Idempotency-Key per attempt: a retry after a dropped connection sends the same key, so the
     * server answers with the first outcome instead of charging again.
     */
    async confirm(body: Record<string, unknown>, idempotencyKey: string): Promise<CheckoutView> {
      const init: RequestInit = {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "idempotency-key": idempotencyKey },
        body: JSON.stringify(body),
      };
      for (let attempt = 0; ; attempt++) {
        try {
          return await call("/confirm", init);
        } catch (error) {
          // 409: the first request with this key is still running; a network error: it may have arrived.
          const retriable = !(error instanceof PageApiError) || error.status === 409 || error.status >= 500;
          if (!retriable || attempt >= 4) throw error;
          await new Promise((resolve) => setTimeout(resolve, 800 * (attempt + 1)));
        }
      }
    },
  };
}

export type PageApi = ReturnType<typeof createPageApi>;

export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `chk_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
