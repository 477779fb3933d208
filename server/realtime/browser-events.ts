/** What changed on which host; browsers refetch the affected queries. */
export type FleetChange = { hostId: string; kinds: string[] };

export interface ServerToBrowserEvents {
  "fleet:changed": (changes: FleetChange[]) => void;
}

// Browsers only listen for now; every future browser event is authorised in browser-gateway.ts.
export type BrowserToServerEvents = Record<string, never>;
