/** The routes that are not Adyen's: the shopper's challenge page and the fault admin endpoint. */
import type { IncomingMessage } from "node:http";
import { challengePage, messagePage } from "./challenge-page.ts";
import type { Context } from "./context.ts";
import { type FaultBook, faultSchema } from "./faults.ts";
import { html, json, type Reply, redirect } from "./http.ts";
import { completeChallenge } from "./payments.ts";

/** GET shows the Approve / Fail page; POST records the answer and sends the browser to the returnUrl. */
export function handleChallenge(ctx: Context, req: IncomingMessage, token: string, raw: Buffer): Reply {
  const payment = ctx.store.paymentByRedirectToken(token);
  if (!payment) return html(404, messagePage("Not found", "There is no such authentication."));
  if (req.method === "GET") {
    if (payment.status !== "RedirectShopper" || payment.redirectResult !== null) {
      return html(409, messagePage("Authentication closed", "This authentication is no longer pending."));
    }
    return html(
      200,
      challengePage({
        token,
        merchantAccount: payment.merchantAccount,
        value: payment.amount.value,
        currency: payment.amount.currency,
        last4: payment.card.last4,
      }),
    );
  }
  if (req.method !== "POST") return html(405, messagePage("Method not allowed", "Use GET or POST."));
  const result = new URLSearchParams(raw.toString("utf8")).get("result");
  if (result !== "approve" && result !== "fail") {
    return html(400, messagePage("Bad request", "result must be approve or fail."));
  }
  const completion = completeChallenge(ctx, token, result === "approve" ? "approved" : "failed");
  if (completion.kind === "not_found")
    return html(404, messagePage("Not found", "There is no such authentication."));
  return redirect(completion.location);
}

/** POST a fault (the AdyenFault shape) to inject it; DELETE clears them all. */
export function handleAdmin(faults: FaultBook, req: IncomingMessage, raw: Buffer): Reply {
  if (req.method === "DELETE") {
    faults.clear();
    return json(200, { ok: true });
  }
  if (req.method !== "POST") return json(405, { error: "Use POST or DELETE." });
  let input: unknown;
  try {
    input = JSON.parse(raw.toString("utf8"));
  } catch {
    return json(400, { error: "The request body is not valid JSON." });
  }
  const parsed = faultSchema.safeParse(input);
  if (!parsed.success) return json(422, { error: parsed.error.issues[0]?.message ?? "invalid fault" });
  faults.inject(parsed.data);
  return json(200, { ok: true });
}
