/** "::ffff:10.0.0.1" and "10.0.0.1" are the same client. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim();
  return trimmed.startsWith("::ffff:") && trimmed.includes(".") ? trimmed.slice(7) : trimmed;
}

/**
 * The client's address. X-Forwarded-For is believed only when the socket peer is a configured proxy,
 * and then only up to the first hop (from the right) that is not itself a trusted proxy: a client
 * cannot pick its own address by sending the header.
 */
export function clientIp(remote: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: ReadonlySet<string>): string {
  const peer = normalizeIp(remote ?? "");
  if (!peer || !trustedProxies.has(peer) || !forwardedFor) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").map(normalizeIp).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trustedProxies.has(hops[i]!)) return hops[i]!;
  return hops[0] ?? peer;
}
