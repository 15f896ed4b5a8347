import { useEffect, useState, type ReactNode } from "react";

/** Renders `children` only in the browser (after hydration), `fallback` on the server and before: for charts that measure the DOM. */
export function ClientOnly({ children, fallback = null }: { children: () => ReactNode; fallback?: ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return <>{mounted ? children() : fallback}</>;
}
