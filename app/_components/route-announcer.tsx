"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/**
 * Announces client-side page changes politely (role="status"), and takes the place of Next's built-in
 * announcer, which uses role="alert" and would otherwise sit next to every real error alert on the
 * page. Real errors are the only role="alert" elements in this app.
 */
export function RouteAnnouncer() {
  const pathname = usePathname();
  const previous = useRef<string | null>(null);
  const [message, setMessage] = useState("");

  useEffect(() => {
    const hide = () => {
      for (const el of document.getElementsByTagName("next-route-announcer")) {
        if (el.getAttribute("aria-hidden") !== "true") el.setAttribute("aria-hidden", "true");
      }
    };
    hide();
    const observer = new MutationObserver(hide);
    observer.observe(document.body, { childList: true });
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (previous.current !== null && previous.current !== pathname) {
      // Wait a tick for the new page to set its title / heading.
      const t = window.setTimeout(() => {
        const h1 = document.querySelector("main h1");
        setMessage(document.title || h1?.textContent || pathname);
      }, 50);
      previous.current = pathname;
      return () => window.clearTimeout(t);
    }
    previous.current = pathname;
  }, [pathname]);

  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="sr-only">
      {message}
    </div>
  );
}
