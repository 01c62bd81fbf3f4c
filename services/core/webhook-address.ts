/**
 * Where a webhook may be delivered: a public address only, so no member can make our workers POST into our
 * own network (Redis on 127.0.0.1:6379, a cloud's metadata service, a neighbour on 10.0.0.0/8) and read
 * what answers from the delivery log. Pure: the URL check at subscribe time and the check of every address
 * a name resolves to (or a socket connected to) at delivery both come here.
 */
import { BlockList, isIPv4, isIPv6 } from "node:net";
import { badRequest } from "./errors.js";

export type AddressClass =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "cgnat"
  | "multicast"
  | "unspecified"
  | "unique-local"
  | "metadata"
  | "reserved";

/** What the deployment allows beyond public https: plain http, and loopback receivers (tests, local development). */
export interface WebhookPolicy {
  allowHttp: boolean;
  allowLoopback: boolean;
}

/** Cloud metadata services: AWS/GCP/Azure/OpenStack, Azure's wire server, Oracle, Alibaba, AWS over IPv6. */
const METADATA = new Set(["169.254.169.254", "169.254.170.2", "168.63.129.16", "192.0.0.192", "100.100.100.200", "fd00:ec2::254"]);
const METADATA_NAMES = /^(metadata|metadata\.google\.internal|metadata\.azure\.internal|instance-data(\.ec2\.internal)?)$/;

const V4: [string, number, AddressClass][] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "cgnat"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "reserved"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["198.51.100.0", 24, "reserved"],
  ["203.0.113.0", 24, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];
const V6: [string, number, AddressClass][] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["64:ff9b:1::", 48, "reserved"],
  ["100::", 64, "reserved"],
  ["2001::", 23, "reserved"],
  ["2001:db8::", 32, "reserved"],
  ["fc00::", 7, "unique-local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "private"],
  ["ff00::", 8, "multicast"],
];
const lists = new Map<AddressClass, BlockList>();
for (const [network, prefix, kind] of V4) listOf(kind).addSubnet(network, prefix, "ipv4");
for (const [network, prefix, kind] of V6) listOf(kind).addSubnet(network, prefix, "ipv6");

function listOf(kind: AddressClass): BlockList {
  let list = lists.get(kind);
  if (!list) lists.set(kind, (list = new BlockList()));
  return list;
}

/** The 16 bytes of an IPv6 address, or undefined if `text` is not one. */
function ipv6Bytes(text: string): number[] | undefined {
  if (!isIPv6(text)) return undefined;
  let address = text.replace(/%.*$/, "");
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (tail) {
    const [a, b, c, d] = tail[1]!.split(".").map(Number) as [number, number, number, number];
    address = address.slice(0, -tail[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = address.split("::") as [string, string | undefined];
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const all = rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4), if it carries one. */
function embeddedIpv4(bytes: number[]): string | undefined {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join(".");
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  if (zero(0, 12) && !zero(12, 16) && !(zero(12, 15) && bytes[15] === 1)) return v4(12); // ::a.b.c.d (deprecated)
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12)) return v4(12); // 64:ff9b::/96
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2); // 2002::/16, 6to4
  return undefined;
}

/**
 * The class of one IP address literal (`127.0.0.1`, `::ffff:169.254.169.254`, `fe80::1%eth0`). IPv6 forms
 * that carry an IPv4 address are judged by it. Anything that is not an IP address is "reserved" (refused).
 */
export function classifyAddress(address: string): AddressClass {
  const text = address.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIPv4(text)) {
    if (METADATA.has(text)) return "metadata";
    if (text === "255.255.255.255") return "reserved";
    for (const [kind, list] of lists) if (list.check(text, "ipv4")) return kind;
    return "public";
  }
  const bytes = ipv6Bytes(text);
  if (!bytes || bytes.length !== 16) return "reserved";
  const v4 = embeddedIpv4(bytes);
  if (v4 !== undefined) return classifyAddress(v4);
  const canonical = text.replace(/%.*$/, "");
  if (METADATA.has(canonical)) return "metadata";
  for (const [kind, list] of lists) if (list.check(canonical, "ipv6")) return kind;
  return "public";
}

/** Whether a delivery may go to an address of this class under `policy`. */
export function addressAllowed(kind: AddressClass, policy: WebhookPolicy): boolean {
  return kind === "public" || (kind === "loopback" && policy.allowLoopback);
}

/** The class of a URL's host when it can be told without DNS (an IP literal, `localhost`, a metadata name); undefined for other names. */
export function classifyHost(hostname: string): AddressClass | undefined {
  const host = hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  if (isIPv4(host) || isIPv6(host)) return classifyAddress(host);
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  if (METADATA_NAMES.test(host)) return "metadata";
  // A name with no dot (an intranet host) or an internal-only suffix resolves only inside some network.
  if (!host.includes(".") || /\.(internal|local|localdomain|lan|home\.arpa|intranet|corp)$/.test(host)) return "private";
  return undefined;
}

export interface WebhookTarget {
  /** The normalized URL to store. */
  url: string;
  /** The host to resolve (brackets removed), or undefined when it is an address literal already judged. */
  name: string | undefined;
}

/**
 * The URL a subscription delivers to, normalized, or a 400. Only https (http too with `allowHttp`, or to a
 * loopback receiver with `allowLoopback`); no credentials (they would be stored and logged in clear, and the
 * signature already authenticates us to the receiver); no fragment; and no host that is not public: WHATWG
 * URL parsing has already turned `0x7f.1` and `2130706433` into `127.0.0.1`, and IPv6 forms carrying an
 * IPv4 address are judged by it. A name's addresses are checked by the caller, which resolves it.
 */
export function parseWebhookUrl(text: string, policy: WebhookPolicy): WebhookTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badRequest("RC_WEBHOOK_URL_INVALID", "url must be an absolute https URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badRequest("RC_WEBHOOK_URL_INVALID", `url must use https, not ${url.protocol.replace(":", "")}`);
  }
  if (url.username || url.password || /^[a-z]+:\/\/[^/?#]*@/i.test(text)) {
    throw badRequest("RC_WEBHOOK_URL_INVALID", "url must not carry credentials");
  }
  if (!url.hostname) throw badRequest("RC_WEBHOOK_URL_INVALID", "url needs a host");
  if (url.hash || text.includes("#")) throw badRequest("RC_WEBHOOK_URL_INVALID", "url must not have a fragment");
  const kind = classifyHost(url.hostname);
  if (kind !== undefined && !addressAllowed(kind, policy)) throw blockedAddress(kind);
  if (url.protocol === "http:" && !policy.allowHttp && !(kind === "loopback" && policy.allowLoopback)) {
    throw badRequest("RC_WEBHOOK_URL_INVALID", "url must use https");
  }
  return { url: url.toString(), name: kind === undefined ? url.hostname.replace(/\.$/, "") : undefined };
}

/** The 400 for a URL whose host is, or resolves to, an address deliveries may not go to. */
export function blockedAddress(kind: AddressClass) {
  return badRequest("RC_WEBHOOK_URL_BLOCKED", `url must point to a public address, not a ${kind} one`);
}
