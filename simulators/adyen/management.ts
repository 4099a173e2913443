/**
 * Merchant-level webhook configuration of Adyen's Management API v3 (the shapes of CreateMerchantWebhookRequest,
 * Webhook, ListWebhooksResponse and GenerateHmacKeyResponse). Errors are RFC 7807 RestServiceError bodies.
 */
import { z } from "zod";
import type { Context, Outcome } from "./context.ts";
import { managementError } from "./errors.ts";
import type { Account, WebhookConfig } from "./store.ts";

const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), "Must be an http or https URL");

const settings = {
  acceptsExpiredCertificate: z.boolean().optional(),
  acceptsSelfSignedCertificate: z.boolean().optional(),
  acceptsUntrustedRootCertificate: z.boolean().optional(),
  additionalSettings: z.unknown().optional(),
  description: z.string().max(1000).optional(),
  encryptionProtocol: z.enum(["HTTP", "TLSv1.2", "TLSv1.3"]).optional(),
  networkType: z.enum(["local", "public"]).optional(),
  password: z.string().optional(),
  populateSoapActionHeader: z.boolean().optional(),
  username: z.string().optional(),
};

// The simulator speaks only the JSON format of standard webhooks.
const communicationFormat = z.literal("json", { message: "The simulator delivers only the json format" });

const createSchema = z.strictObject({
  ...settings,
  active: z.boolean(),
  communicationFormat,
  type: z.string().min(1),
  url: httpUrl,
});

const updateSchema = z.strictObject({
  ...settings,
  active: z.boolean().optional(),
  communicationFormat: communicationFormat.optional(),
  url: httpUrl.optional(),
});

function respond(status: number, body: unknown): Outcome {
  return { status, body, remember: status < 400 };
}

function invalid(error: z.ZodError): Outcome {
  const invalidFields = error.issues.map((issue) => {
    const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
    const name = path.map(String).join(".");
    const message = issue.code === "unrecognized_keys" ? "Unknown field" : issue.message;
    return { name, message, value: "" };
  });
  return respond(
    422,
    managementError(422, "00_422", "Invalid parameters", "Invalid request body", invalidFields),
  );
}

function notFound(webhookId: string): Outcome {
  return respond(404, managementError(404, "00_404", "Not found", `Webhook ${webhookId} not found`));
}

function webhookToWire(ctx: Context, config: WebhookConfig) {
  const base = `${ctx.baseUrl()}/v3/merchants/${encodeURIComponent(config.merchantId)}`;
  const self = `${base}/webhooks/${config.id}`;
  const wire: Record<string, unknown> = {
    id: config.id,
    type: config.type,
    url: config.url,
    active: config.active,
    communicationFormat: config.communicationFormat,
    hasPassword: config.password !== null,
    hasError: false,
    acceptsExpiredCertificate: config.acceptsExpiredCertificate,
    acceptsSelfSignedCertificate: config.acceptsSelfSignedCertificate,
    acceptsUntrustedRootCertificate: config.acceptsUntrustedRootCertificate,
    populateSoapActionHeader: config.populateSoapActionHeader,
    encryptionProtocol: config.encryptionProtocol,
    networkType: config.networkType,
    accountReference: config.merchantId,
    _links: {
      self: { href: self },
      generateHmac: { href: `${self}/generateHmac` },
      merchant: { href: base },
      testWebhook: { href: `${self}/test` },
    },
  };
  if (config.username !== null) wire.username = config.username;
  if (config.description !== null) wire.description = config.description;
  return wire;
}

function find(account: Account, merchantId: string, webhookId: string): WebhookConfig | undefined {
  const config = account.webhooks.get(webhookId);
  return config?.merchantId === merchantId ? config : undefined;
}

export function createWebhook(ctx: Context, account: Account, merchantId: string, input: unknown): Outcome {
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const request = parsed.data;
  const config: WebhookConfig = {
    id: ctx.ids.webhookId(),
    merchantId,
    type: request.type,
    url: request.url,
    active: request.active,
    communicationFormat: request.communicationFormat,
    description: request.description ?? null,
    username: request.username ?? null,
    password: request.password ?? null,
    hmacKey: null,
    acceptsExpiredCertificate: request.acceptsExpiredCertificate ?? false,
    acceptsSelfSignedCertificate: request.acceptsSelfSignedCertificate ?? false,
    acceptsUntrustedRootCertificate: request.acceptsUntrustedRootCertificate ?? false,
    populateSoapActionHeader: request.populateSoapActionHeader ?? false,
    encryptionProtocol: request.encryptionProtocol ?? "TLSv1.3",
    networkType: request.networkType ?? "public",
  };
  account.webhooks.set(config.id, config);
  return respond(200, webhookToWire(ctx, config));
}

export function updateWebhook(
  ctx: Context,
  account: Account,
  merchantId: string,
  webhookId: string,
  input: unknown,
): Outcome {
  const config = find(account, merchantId, webhookId);
  if (!config) return notFound(webhookId);
  const parsed = updateSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { password, username, description, additionalSettings: _ignored, ...rest } = parsed.data;
  Object.assign(config, Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)));
  if (password !== undefined) config.password = password;
  if (username !== undefined) config.username = username;
  if (description !== undefined) config.description = description;
  return respond(200, webhookToWire(ctx, config));
}

export function listWebhooks(ctx: Context, account: Account, merchantId: string): Outcome {
  const data = [...account.webhooks.values()]
    .filter((config) => config.merchantId === merchantId)
    .map((config) => webhookToWire(ctx, config));
  const self = {
    href: `${ctx.baseUrl()}/v3/merchants/${encodeURIComponent(merchantId)}/webhooks?pageNumber=1`,
  };
  return respond(200, {
    _links: { first: self, last: self, self },
    accountReference: merchantId,
    data,
    itemsTotal: data.length,
    pagesTotal: 1,
  });
}

export function getWebhook(ctx: Context, account: Account, merchantId: string, webhookId: string): Outcome {
  const config = find(account, merchantId, webhookId);
  return config ? respond(200, webhookToWire(ctx, config)) : notFound(webhookId);
}

export function deleteWebhook(account: Account, merchantId: string, webhookId: string): Outcome {
  if (!find(account, merchantId, webhookId)) return notFound(webhookId);
  account.webhooks.delete(webhookId);
  return respond(204, null);
}

/** A new key replaces the old one: later webhooks are signed with it. */
export function generateHmac(ctx: Context, account: Account, merchantId: string, webhookId: string): Outcome {
  const config = find(account, merchantId, webhookId);
  if (!config) return notFound(webhookId);
  config.hmacKey = ctx.ids.hmacKey();
  return respond(200, { hmacKey: config.hmacKey });
}
