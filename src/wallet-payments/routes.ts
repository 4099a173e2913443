import { z } from "zod";
import { defineRoute } from "../http/route.ts";
import type { WalletService } from "./service.ts";

// The wallet's own schema validates the fields in the service (merged with what is stored).
const configBody = z.record(z.string().max(64), z.unknown()).refine((c) => Object.keys(c).length <= 20, {
  message: "has too many fields",
});

export function walletRoutes(wallets: WalletService) {
  return [
    defineRoute({
      method: "GET",
      url: "/v1/wallets",
      summary: "Apple Pay and Google Pay setup (public keys to register; private keys never shown)",
      tags: ["Wallets"],
      async handler({ auth }) {
        return { body: await wallets.describe(auth) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/wallets/apple_pay",
      summary: "Set up Apple Pay: merchant identifier, processing key, merchant identity, domains",
      tags: ["Wallets"],
      body: configBody,
      async handler({ auth, body }) {
        return { body: await wallets.configure(auth, "apple_pay", body) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/wallets/google_pay",
      summary: "Set up Google Pay (DIRECT): recipient id and private keys",
      tags: ["Wallets"],
      body: configBody,
      async handler({ auth, body }) {
        return { body: await wallets.configure(auth, "google_pay", body) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/apple_pay/sessions",
      summary: "Apple Pay merchant validation: Payrail asks Apple for a merchant session (mutual TLS)",
      tags: ["Wallets"],
      auth: "secret_or_publishable",
      body: z.strictObject({
        validation_url: z.url({ protocol: /^https$/ }).max(2048),
        domain: z.string().regex(/^[a-z0-9.-]{1,253}$/, "must be a domain name"),
      }),
      async handler({ auth, body }) {
        return { body: await wallets.appleSession(auth, body) };
      },
    }),
  ];
}
