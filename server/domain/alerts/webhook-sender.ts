import crypto from "node:crypto";

export type WebhookRequest = {
  url: string;
  /** HMAC-SHA256 key; the signature covers "<timestamp>.<body>". */
  secret: string | null;
  body: string;
  deliveryId: string;
  event: string;
};

export type WebhookResult = { ok: boolean; status: number | null; error: string | null; ms: number };
export type SendWebhook = (req: WebhookRequest, opts?: { timeoutMs?: number }) => Promise<WebhookResult>;

export const SIGNATURE_HEADER = "x-portolan-signature";
export const TIMESTAMP_HEADER = "x-portolan-timestamp";

/** Only plain http(s) URLs, without credentials in them; anything else is refused before a request is made. */
export function checkWebhookUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "only http:// and https:// URLs are allowed";
  if (url.username || url.password) return "put credentials in the secret, not in the URL";
  return null;
}

export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * One JSON POST with a timeout. Redirects are not followed (a webhook that moved must be edited, and
 * following one could send the body somewhere else). Errors never include the URL or the secret.
 */
export const sendWebhook: SendWebhook = async (req, opts = {}) => {
  const started = Date.now();
  const bad = checkWebhookUrl(req.url);
  if (bad) return { ok: false, status: null, error: bad, ms: 0 };
  const timestamp = String(Math.floor(started / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Portolan-Webhook/1",
    "x-portolan-event": req.event,
    "x-portolan-delivery": req.deliveryId,
    [TIMESTAMP_HEADER]: timestamp,
  };
  if (req.secret) headers[SIGNATURE_HEADER] = signBody(req.secret, timestamp, req.body);
  try {
    const res = await fetch(req.url, { method: "POST", headers, body: req.body, redirect: "manual", signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
    await res.body?.cancel().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}`, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, status: null, error: describeFailure(err), ms: Date.now() - started };
  }
};

function describeFailure(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return "timed out";
  if (e.cause?.message === "bad port") return "that port is blocked for web requests";
  const code = e.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  if (code === "ECONNRESET") return "connection reset";
  if (typeof code === "string") return `request failed (${code})`;
  return "request failed";
}
