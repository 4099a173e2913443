import { z } from "zod";

/** Where PayPal serves the certificates that sign its webhooks (`PAYPAL-CERT-URL`). */
export const PAYPAL_CERT_HOSTS = [
  "api.paypal.com",
  "api-m.paypal.com",
  "api.sandbox.paypal.com",
  "api-m.sandbox.paypal.com",
];

const host = z
  .string()
  .regex(/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/, "must be a host name, with a port if any");

export const paypalConfigSchema = z.object({
  client_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be the client id of a PayPal REST app")
    .meta({ description: "Client id of the PayPal REST app" }),
  client_secret: z
    .string()
    .regex(/^[!-~]{16,256}$/, "must be the secret of a PayPal REST app")
    .meta({ secret: true, description: "Secret of the PayPal REST app" }),
  webhook_id: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, "must be a PayPal webhook id")
    .optional()
    .meta({
      description:
        "Id of the webhook Payrail registered on the REST app; registered automatically when missing",
    }),
  webhook_verification: z.enum(["offline", "api"]).default("offline").meta({
    description:
      "offline: check the signature with PayPal's certificate; api: ask POST /v1/notifications/verify-webhook-signature",
  }),
  cert_hosts: z
    .array(host)
    .min(1)
    .max(20)
    .default(PAYPAL_CERT_HOSTS)
    .meta({ description: "Hosts PayPal's webhook signing certificates may be downloaded from" }),
  base_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description:
        "Overrides the API base URL (the simulator Payrail runs by default; https://api-m.sandbox.paypal.com for PayPal's sandbox)",
    }),
});

export type PayPalConfig = z.infer<typeof paypalConfigSchema>;

/** Names of the config fields that are secrets: never shown back, never logged. */
export const paypalSecretFields: ReadonlyArray<keyof PayPalConfig> = ["client_secret"];

/** Fresh REST app credentials, shaped like PayPal's (an `A…` client id and an `E…` secret). */
export function randomCredentials(random: (size: number) => Buffer): {
  client_id: string;
  client_secret: string;
} {
  return {
    client_id: `A${random(48).toString("base64url")}`,
    client_secret: `E${random(48).toString("base64url")}`,
  };
}
