import { z } from "zod";

export const sandboxConfigSchema = z.object({
  api_key: z
    .string()
    .regex(/^sbx_sk_[0-9A-Za-z]{24,}$/, "must look like sbx_sk_ followed by at least 24 letters or digits")
    .meta({ secret: true, description: "Secret API key of the sandbox processor account" }),
  base_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({ description: "Overrides the simulator URL Payrail runs" }),
});

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

/** Names of the config fields that are secrets: never shown back, never logged. */
export const sandboxSecretFields: ReadonlyArray<keyof SandboxConfig> = ["api_key"];
