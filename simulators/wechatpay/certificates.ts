/** GET /v3/certificates: the platform certificate, encrypted under the asking merchant's API v3 key. */
import type { ApiHandler } from "./api.ts";
import { aesGcmEncrypt } from "./crypto.ts";
import { json } from "./http.ts";
import { rfc3339 } from "./time.ts";

export const listCertificates: ApiHandler = ({ ctx, merchant }) => {
  const certificate = ctx.keys.certificate;
  const nonce = ctx.ids.token(12);
  return json(200, {
    data: [
      {
        serial_no: certificate.serialNo,
        effective_time: rfc3339(certificate.effectiveTime),
        expire_time: rfc3339(certificate.expireTime),
        encrypt_certificate: {
          algorithm: "AEAD_AES_256_GCM",
          nonce,
          associated_data: "certificate",
          ciphertext: aesGcmEncrypt(merchant.apiV3Key, nonce, "certificate", certificate.certificatePem),
        },
      },
    ],
  });
};
