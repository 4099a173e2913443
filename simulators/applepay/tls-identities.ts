/**
 * The TLS side of the simulator: a CA for its HTTPS server certificate (so clients can trust it) and a
 * "developer relations" CA that issues the merchant identity certificate the server requires as client
 * certificate, carrying the merchant id extension like Apple's.
 */
import * as asn1js from "asn1js";
import { APPLE_MERCHANT_ID_OID, merchantIdHexOf } from "./authority.ts";
import { extension, type IssuedCertificate, issueCertificate, OID } from "./pki.ts";

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;

export interface SimulatorIdentities {
  serverCa: IssuedCertificate;
  server: IssuedCertificate;
  merchantCa: IssuedCertificate;
  merchant: IssuedCertificate;
  merchantIdentifier: string;
  merchantIdHex: string;
}

async function create(host: string, merchantIdentifier: string, now: Date): Promise<SimulatorIdentities> {
  const notBefore = new Date(now.getTime() - DAY);
  const org: Array<[string, string]> = [
    [OID.organization, "Payrail Simulator"],
    [OID.country, "US"],
  ];
  const serverCa = await issueCertificate({
    subject: [[OID.commonName, "Payrail Simulator Apple Pay Gateway CA"], ...org],
    notBefore,
    notAfter: new Date(now.getTime() + 10 * YEAR),
    role: "ca",
  });
  const server = await issueCertificate({
    subject: [[OID.commonName, host], ...org],
    issuer: serverCa,
    notBefore,
    notAfter: new Date(now.getTime() + YEAR),
    role: "tls",
    extendedKeyUsage: [OID.serverAuth],
    subjectAltNames: [...new Set([host, "localhost", "127.0.0.1"])],
  });
  const merchantCa = await issueCertificate({
    subject: [[OID.commonName, "Payrail Simulator Worldwide Developer Relations CA"], ...org],
    notBefore,
    notAfter: new Date(now.getTime() + 10 * YEAR),
    role: "ca",
  });
  const merchantIdHex = merchantIdHexOf(merchantIdentifier);
  const merchant = await issueCertificate({
    subject: [
      [OID.userId, merchantIdentifier],
      [OID.commonName, `Merchant ID: ${merchantIdentifier}`],
      [OID.organizationalUnit, "PAYRAILSIM"],
      ...org,
    ],
    issuer: merchantCa,
    notBefore,
    notAfter: new Date(now.getTime() + 2 * YEAR),
    role: "tls",
    extendedKeyUsage: [OID.clientAuth],
    extensions: [extension(APPLE_MERCHANT_ID_OID, new asn1js.Utf8String({ value: merchantIdHex }))],
  });
  return { serverCa, server, merchantCa, merchant, merchantIdentifier, merchantIdHex };
}

// One set per (host, merchant, day) per process, so many simulators in one test run start fast.
const cache = new Map<string, Promise<SimulatorIdentities>>();

export function simulatorIdentities(
  host: string,
  merchantIdentifier: string,
  now: Date,
): Promise<SimulatorIdentities> {
  const key = JSON.stringify([host, merchantIdentifier, Math.floor(now.getTime() / DAY)]);
  let identities = cache.get(key);
  if (!identities) {
    identities = create(host, merchantIdentifier, now);
    cache.set(key, identities);
    identities.catch(() => cache.delete(key));
  }
  return identities;
}
