/**
 * Redaction by pattern, applied to every serialized log line: whatever field a card number, key or
 * secret ends up in, it does not reach the log.
 */

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// 13–19 digits, optionally grouped by single spaces or dashes, not part of a longer digit run.
const PAN_CANDIDATE = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;
const SECRETS = /\b(sk|pk|rk)_(test|live)_[0-9A-Za-z]{8,}|\bwhsec_[0-9A-Za-z]{8,}|\bsbx_sk_[0-9A-Za-z]{8,}/g;
const SENSITIVE_FIELD =
  /("(?:cvc|cvv|cvv2|cvc2|csc|security_code|number|card_number|pan|secret|password|api_key|authorization|cryptogram|onlinePaymentCryptogram|applicationPrimaryAccountNumber|secret_key|hmac_key|private_key|processing_private_key|merchant_identity_private_key)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

export function redact(text: string): string {
  return text
    .replace(SENSITIVE_FIELD, '$1"[REDACTED]"')
    .replace(BEARER, "$1 [REDACTED]")
    .replace(SECRETS, (m) => `${m.slice(0, m.indexOf("_", 3) + 1)}[REDACTED]`)
    .replace(PAN_CANDIDATE, (m) => {
      const digits = m.replace(/[ -]/g, "");
      return luhnValid(digits) ? `[PAN ${digits.slice(-4)}]` : m;
    });
}

export { luhnValid };
