import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";
import type { PageApi } from "./api.ts";

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

interface Options {
  challenge_id: string;
  options: Parameters<typeof startRegistration>[0]["optionsJSON"];
}

/** Creates a passkey for the customer after a successful payment (fingerprint, face or screen lock). */
export async function registerPasskey(api: PageApi): Promise<void> {
  const { challenge_id, options } = await api.post<Options>("/passkeys/registration-options", {});
  const response = await startRegistration({ optionsJSON: options });
  await api.post("/passkeys/registrations", { challenge_id, response });
}

/** Asks the customer's passkey to approve this payment; the server verifies it before charging. */
export async function passkeyAssertion(api: PageApi): Promise<{ challenge_id: string; response: unknown }> {
  const { challenge_id, options } = await api.post<{
    challenge_id: string;
    options: Parameters<typeof startAuthentication>[0]["optionsJSON"];
  }>("/passkeys/authentication-options", {});
  const response = await startAuthentication({ optionsJSON: options });
  return { challenge_id, response };
}
