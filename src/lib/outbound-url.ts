/**
 * Requests the Worker makes to URLs a user chose (upload by URL, render webhooks) must not reach
 * inside: loopback, private, link-local, carrier-grade NAT, cloud metadata, multicast, reserved.
 * The WHATWG URL parser already turns the alternative IPv4 spellings (0x7f000001, 2130706433,
 * 127.1, 0177.0.0.1) into dotted quads and IPv6 into its compressed form, so the checks below see
 * one canonical host. Names are checked by suffix only: DNS is not resolved here (see
 * docs/security.md for what the Cloudflare runtime adds). Every refusal and every network failure
 * reads the same, so answers cannot be used to map ports or hosts.
 */
import { AppError, ErrorCode } from './errors.ts';

/** The one answer for a refused or unreachable address, so answers cannot map ports or hosts. */
export const outboundRefused = (field: string) =>
  `Could not fetch \`${field}\`: only a public http(s) address that answers can be used`;
const MAX_REDIRECTS = 5;

const V4_BLOCKS: [number, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
].map(([ip, bits]) => [v4ToInt(ip as string)!, bits as number]);

function v4ToInt(host: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function v4Blocked(n: number): boolean {
  return V4_BLOCKS.some(([base, bits]) => n >>> (32 - bits) === base >>> (32 - bits));
}

/** Expands a canonical IPv6 literal (no brackets) into eight 16-bit groups. */
function v6Groups(host: string): number[] | null {
  const [head, tail] = host.includes('::') ? host.split('::') : [host, undefined];
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const a = parse(head);
  const b = parse(tail);
  const groups = tail === undefined ? a : [...a, ...Array(8 - a.length - b.length).fill(0), ...b];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function v6Blocked(host: string): boolean {
  const g = v6Groups(host);
  if (!g) return true; // unparseable: refuse rather than guess
  const [g0, , , , , g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const firstFiveZero = g.slice(0, 5).every((x) => x === 0);
  if (firstFiveZero && g5 === 0 && g6 === 0 && (g7 === 0 || g7 === 1)) return true; // :: and ::1
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judge the IPv4 inside.
  const embedded = ((g6 << 16) | g7) >>> 0;
  if (firstFiveZero && (g5 === 0xffff || g5 === 0)) return v4Blocked(embedded);
  if (g0 === 0x64 && g[1] === 0xff9b) return v4Blocked(embedded);
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x2001 && g[1] === 0xdb8) return true; // documentation
  return false;
}

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/;

/** Why `url` may not be fetched on a user's behalf, or null. Pure: the URL parser did the canonicalising. */
export function outboundProblem(url: URL): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not http(s)';
  if (url.username || url.password) return 'credentials in the URL';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[')) return v6Blocked(host.slice(1, -1)) ? 'non-public IPv6 address' : null;
  const v4 = v4ToInt(host);
  if (v4 !== null) return v4Blocked(v4) ? 'non-public IPv4 address' : null;
  if (/^[0-9.]+$/.test(host) || /^0x/i.test(host)) return 'unusual numeric host'; // not canonicalised: refuse
  if (!host.includes('.')) return 'single-label host name';
  if (INTERNAL_NAMES.test(host) || host === 'metadata.google.internal') return 'internal host name';
  return null;
}

/**
 * fetch() for a user-chosen URL: refused unless public, redirects followed by hand (each hop
 * checked), and one message for every refusal or network failure. `allowPrivate` is for local
 * end-to-end tests only (ALLOW_PRIVATE_OUTBOUND), never a production setting.
 */
export async function fetchOutbound(
  field: string,
  raw: string,
  init: RequestInit & { allowPrivate?: boolean },
  // The runtime's fetch; a parameter so the redirect walk can be tested with scripted answers.
  fetcher: (url: URL, init: RequestInit) => Promise<Response> = (url, i) => fetch(url, i),
): Promise<Response> {
  const refused = () => new AppError(ErrorCode.BAD_REQUEST, outboundRefused(field));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused();
  }
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const problem = outboundProblem(url);
    if (problem && !(init.allowPrivate && /non-public|single-label|internal/.test(problem))) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'outbound request refused', field, problem, host: url.host }));
      throw refused();
    }
    let res: Response;
    try {
      res = await fetcher(url, { ...init, redirect: 'manual' });
    } catch {
      throw refused();
    }
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (!location) return res;
    await res.body?.cancel();
    try {
      url = new URL(location, url);
    } catch {
      throw refused();
    }
    // A redirect turns a POST into a GET in browsers; a webhook body is never re-sent elsewhere.
    if (init.method && init.method !== 'GET') throw refused();
  }
  throw refused();
}
