/** Webhook endpoints of an account: create (answering the signing secret once), list, retrieve, update, delete. */
import { type Call, type SimContext, unixNow } from "./context.ts";
import { paginate } from "./lists.ts";
import { invalidParam, notFound, type Outcome, ok } from "./outcomes.ts";
import type { WebhookEndpointRecord } from "./store.ts";

export function webhookEndpointWire(endpoint: WebhookEndpointRecord): Record<string, unknown> {
  return {
    id: endpoint.id,
    object: "webhook_endpoint",
    api_version: endpoint.apiVersion,
    application: null,
    created: endpoint.created,
    description: endpoint.description,
    enabled_events: [...endpoint.enabledEvents],
    livemode: false,
    metadata: { ...endpoint.metadata },
    status: endpoint.status,
    url: endpoint.url,
  };
}

function urlProblem(url: string): Outcome | null {
  if (URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)) return null;
  return invalidParam(`Invalid URL: ${url.slice(0, 200)}`, "url", "url_invalid");
}

const textOrNull = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : null;

export function createWebhookEndpoint(ctx: SimContext, call: Call): Outcome {
  const { params } = call;
  const url = String(params.url);
  const problem = urlProblem(url);
  if (problem) return problem;
  const endpoint: WebhookEndpointRecord = {
    id: ctx.ids.id("we"),
    created: unixNow(ctx),
    url,
    enabledEvents: [...(params.enabled_events as string[])],
    secret: `whsec_${ctx.ids.base62(32)}`,
    description: textOrNull(params.description),
    metadata: { ...(params.metadata as Record<string, string> | undefined) },
    status: "enabled",
    apiVersion: textOrNull(params.api_version),
  };
  call.account.webhookEndpoints.set(endpoint.id, endpoint);
  return ok({ ...webhookEndpointWire(endpoint), secret: endpoint.secret });
}

function find(call: Call): WebhookEndpointRecord | Outcome {
  const id = call.path.webhook_endpoint ?? "";
  return call.account.webhookEndpoints.get(id) ?? notFound("webhook_endpoint", id, "webhook_endpoint");
}

export function retrieveWebhookEndpoint(_ctx: SimContext, call: Call): Outcome {
  const found = find(call);
  return "kind" in found ? found : ok(webhookEndpointWire(found));
}

export function updateWebhookEndpoint(_ctx: SimContext, call: Call): Outcome {
  const found = find(call);
  if ("kind" in found) return found;
  const { params } = call;
  if (typeof params.url === "string") {
    const problem = urlProblem(params.url);
    if (problem) return problem;
    found.url = params.url;
  }
  if (Array.isArray(params.enabled_events)) found.enabledEvents = [...(params.enabled_events as string[])];
  if (typeof params.disabled === "boolean") found.status = params.disabled ? "disabled" : "enabled";
  if (params.description !== undefined) found.description = textOrNull(params.description);
  if (params.metadata !== undefined) {
    const updates = params.metadata as Record<string, string>;
    const metadata = { ...found.metadata };
    for (const [key, value] of Object.entries(updates)) {
      if (value === "") delete metadata[key];
      else metadata[key] = value;
    }
    found.metadata = params.metadata === "" ? {} : metadata;
  }
  return ok(webhookEndpointWire(found));
}

export function deleteWebhookEndpoint(_ctx: SimContext, call: Call): Outcome {
  const found = find(call);
  if ("kind" in found) return found;
  call.account.webhookEndpoints.delete(found.id);
  return ok({ id: found.id, object: "webhook_endpoint", deleted: true });
}

export function listWebhookEndpoints(_ctx: SimContext, call: Call): Outcome {
  return paginate({
    items: call.account.webhookEndpoints.values(),
    params: call.params,
    url: "/v1/webhook_endpoints",
    what: "webhook_endpoint",
    render: webhookEndpointWire,
  });
}
