/** What one HTTP call to a provider said: a definite answer, or nothing that tells what happened. */
export type TextAnswer =
  | { kind: "answer"; status: number; text: string }
  | { kind: "unknown"; reason: string };

function failureReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "timeout";
  return "network_error";
}

/**
 * One call to a provider's API. A network error, a timeout (one deadline for the whole exchange, so a
 * body that never ends also times out), a 429 and a 5xx are `unknown`: never a failure, never thrown.
 */
export async function exchangeText(
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string | undefined;
    redirect?: RequestRedirect;
    timeoutMs: number;
  },
): Promise<TextAnswer> {
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      redirect: init.redirect ?? "manual",
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    const text = await response.text();
    if (response.status === 429) return { kind: "unknown", reason: "rate_limited" };
    if (response.status >= 500) return { kind: "unknown", reason: `http_${response.status}` };
    return { kind: "answer", status: response.status, text };
  } catch (error) {
    return { kind: "unknown", reason: failureReason(error) };
  }
}
