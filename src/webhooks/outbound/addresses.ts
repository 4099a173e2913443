import { isIPv4, isIPv6 } from "node:net";

/** What an IP address is, for deciding whether a webhook may be sent to it. */
export type AddressCategory =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "cgnat"
  | "link_local"
  | "metadata"
  | "unique_local"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "invalid";

type V4Range = [base: number, bits: number, category: AddressCategory];

const v4 = (text: string): number => text.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);

// Most specific first: the first match wins.
const V4_RANGES: V4Range[] = [
  [v4("169.254.169.254"), 32, "metadata"], // AWS, GCP, Azure, OpenStack, Oracle
  [v4("169.254.170.2"), 32, "metadata"], // AWS ECS task metadata
  [v4("100.100.100.200"), 32, "metadata"], // Alibaba Cloud
  [v4("255.255.255.255"), 32, "broadcast"],
  [v4("0.0.0.0"), 8, "unspecified"],
  [v4("10.0.0.0"), 8, "private"],
  [v4("100.64.0.0"), 10, "cgnat"],
  [v4("127.0.0.0"), 8, "loopback"],
  [v4("169.254.0.0"), 16, "link_local"],
  [v4("172.16.0.0"), 12, "private"],
  [v4("192.0.0.0"), 24, "reserved"],
  [v4("192.0.2.0"), 24, "reserved"],
  [v4("192.88.99.0"), 24, "reserved"],
  [v4("192.168.0.0"), 16, "private"],
  [v4("198.18.0.0"), 15, "reserved"],
  [v4("198.51.100.0"), 24, "reserved"],
  [v4("203.0.113.0"), 24, "reserved"],
  [v4("224.0.0.0"), 4, "multicast"],
  [v4("240.0.0.0"), 4, "reserved"],
];

function classifyV4(value: number): AddressCategory {
  for (const [base, bits, category] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    if (value >= base && value < base + size) return category;
  }
  return "public";
}

/** Eight 16-bit groups of a valid IPv6 text (zone id dropped), or undefined. */
export function parseIPv6(text: string): number[] | undefined {
  const address = text.replace(/^\[|\]$/g, "").split("%")[0] as string;
  if (!isIPv6(address)) return undefined;
  // A trailing dotted quad (::ffff:127.0.0.1) becomes two hex groups.
  const body = address.toLowerCase().replace(/(\d+\.\d+\.\d+\.\d+)$/, (quad) => {
    const n = v4(quad);
    return `${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  });
  const [head = "", rest] = body.split("::");
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => Number.parseInt(g, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return undefined;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

function classifyV6(g: number[]): AddressCategory {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = g6 * 65536 + g7;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroPrefix && g5 === 0xffff) return classifyV4(embedded); // ::ffff:a.b.c.d (IPv4-mapped)
  if (zeroPrefix && g5 === 0 && g6 === 0) {
    if (g7 === 0) return "unspecified";
    if (g7 === 1) return "loopback";
  }
  if (zeroPrefix && g5 === 0) return classifyV4(embedded); // ::a.b.c.d (deprecated IPv4-compatible)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return classifyV4(embedded); // 64:ff9b::/96 NAT64
  }
  if (g0 === 0x2002) return classifyV4(g1 * 65536 + g2); // 6to4
  if (
    g0 === 0xfd00 &&
    g1 === 0x0ec2 &&
    g2 === 0 &&
    g3 === 0 &&
    g4 === 0 &&
    g5 === 0 &&
    g6 === 0 &&
    g7 === 0x254
  ) {
    return "metadata"; // AWS IPv6 instance metadata, fd00:ec2::254
  }
  if ((g0 & 0xfe00) === 0xfc00) return "unique_local";
  if ((g0 & 0xffc0) === 0xfe80) return "link_local";
  if ((g0 & 0xffc0) === 0xfec0) return "private"; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if (g0 === 0x2001 && g1 === 0x0db8) return "reserved"; // documentation
  if (g0 === 0x2001 && g1 < 0x0200) return "reserved"; // IETF protocol assignments, incl. Teredo
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return "reserved"; // discard prefix
  if (g0 === 0) return "reserved"; // the rest of ::/16
  return "public";
}

/** Classifies an IPv4 (dotted decimal) or IPv6 address, brackets and zone id allowed. */
export function classifyAddress(text: string): AddressCategory {
  if (isIPv4(text)) return classifyV4(v4(text));
  const groups = parseIPv6(text);
  return groups ? classifyV6(groups) : "invalid";
}

export type Mode = "live" | "test";

/** Test mode may reach the merchant's own machine and network; metadata and friends are never allowed. */
const TEST_ALLOWED = new Set<AddressCategory>([
  "public",
  "loopback",
  "private",
  "cgnat",
  "unique_local",
  "reserved",
]);

export function isAddressAllowed(text: string, mode: Mode): boolean {
  const category = classifyAddress(text);
  return mode === "live" ? category === "public" : TEST_ALLOWED.has(category);
}
