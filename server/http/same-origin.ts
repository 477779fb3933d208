/**
 * A state-changing request carrying cookies must come from our own pages: its Origin must name the
 * host it was sent to. Bearer-token requests carry no ambient credentials and are exempt.
 */
export function isSameOrigin(headers: Headers, requestUrl: string): boolean {
  const origin = headers.get("origin");
  if (!origin) return false;
  try {
    const host = headers.get("host") ?? new URL(requestUrl).host;
    if (!host) return false;
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
