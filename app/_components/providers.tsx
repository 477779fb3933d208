"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { useState, type ReactNode } from "react";
import type { AppRouter } from "../../server/trpc/router";
import { TRPCProvider, trpcCode } from "./trpc";

function onAuthError(error: unknown) {
  // The session ended (expired, signed out elsewhere, user disabled): back to the sign-in page.
  if (trpcCode(error) === "UNAUTHORIZED" && !window.location.pathname.startsWith("/login")) {
    window.location.assign("/login");
  }
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onAuthError }),
    mutationCache: new MutationCache({ onError: onAuthError }),
    defaultOptions: {
      // A click made while offline must fail at once, never be queued and replayed when the network returns:
      // a container action is sent once or not at all.
      mutations: { networkMode: "always", retry: false },
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: true,
        retry: (failureCount, error) => {
          const code = trpcCode(error);
          if (code && code !== "INTERNAL_SERVER_ERROR" && code !== "TIMEOUT") return false;
          return failureCount < 2;
        },
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc" })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
