/**
 * PayPal's webhook signing certificates, downloaded from the delivery's PAYPAL-CERT-URL. The trust anchor
 * is the account's list of hosts that may serve them (PayPal's API hosts by default): a URL elsewhere is
 * never fetched. Certificates are kept in memory by URL; each use checks its validity at that moment.
 */
import { type KeyObject, X509Certificate } from "node:crypto";

export interface SigningCertificate {
  publicKey: KeyObject;
  notBefore: number;
  notAfter: number;
}

export type CertificateAnswer = { ok: true; certificate: SigningCertificate } | { ok: false; reason: string };

const FETCH_TIMEOUT_MS = 5_000;
const MAX_CERTIFICATES = 64;
const MAX_PEM_BYTES = 64 * 1024;
const CERT_PATH = /^\/v1\/notifications\/certs\/[A-Za-z0-9-]{1,128}$/;
const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** The URL when PayPal could serve a certificate there for this account, else why not. */
export function allowedCertUrl(certUrl: string, hosts: readonly string[]): URL | string {
  let url: URL;
  try {
    url = new URL(certUrl);
  } catch {
    return "cert_url_malformed";
  }
  if (!hosts.some((host) => host.toLowerCase() === url.host.toLowerCase())) return "cert_host_not_allowed";
  // Plain http only for a simulator on this machine.
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    return "cert_url_not_https";
  }
  if (!CERT_PATH.test(url.pathname) || url.search !== "" || url.username !== "") return "cert_url_unexpected";
  return url;
}

async function download(url: URL): Promise<CertificateAnswer> {
  let pem: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: "error" });
    if (response.status !== 200) return { ok: false, reason: `cert_http_${response.status}` };
    pem = await response.text();
  } catch {
    return { ok: false, reason: "cert_unavailable" };
  }
  if (pem.length > MAX_PEM_BYTES) return { ok: false, reason: "cert_malformed" };
  try {
    // The first certificate of the file is the signer's; any others are its chain.
    const certificate = new X509Certificate(pem);
    return {
      ok: true,
      certificate: {
        publicKey: certificate.publicKey,
        notBefore: Date.parse(certificate.validFrom),
        notAfter: Date.parse(certificate.validTo),
      },
    };
  } catch {
    return { ok: false, reason: "cert_malformed" };
  }
}

export function createCertificateCache() {
  const certificates = new Map<string, Promise<CertificateAnswer>>();
  return {
    async get(url: URL): Promise<CertificateAnswer> {
      const key = url.toString();
      let answer = certificates.get(key);
      if (!answer) {
        if (certificates.size >= MAX_CERTIFICATES)
          certificates.delete(certificates.keys().next().value as string);
        answer = download(url);
        certificates.set(key, answer);
      }
      const result = await answer;
      // A failed download is tried again next time.
      if (!result.ok && certificates.get(key) === answer) certificates.delete(key);
      return result;
    },
  };
}

export type CertificateCache = ReturnType<typeof createCertificateCache>;

export function isValidAt(certificate: SigningCertificate, now: Date): boolean {
  const at = now.getTime();
  return (
    !Number.isNaN(certificate.notBefore) &&
    !Number.isNaN(certificate.notAfter) &&
    certificate.notBefore <= at &&
    at <= certificate.notAfter
  );
}
