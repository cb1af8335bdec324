"use client";

import { usePathname } from "next/navigation";
import { useId, useState } from "react";

/**
 * The sidebar's navigation and account block. On narrow screens (app/styles/shell.css) they collapse behind a
 * "Menu" button: a real button with aria-expanded, so keyboard and screen-reader users open it like anyone else;
 * Escape closes it and following a link closes it.
 */
export function NavMenu({ brand, children }: { brand: React.ReactNode; children: React.ReactNode }) {
  const pathname = usePathname();
  // Open on the page where it was opened: following a link (a new pathname) closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = (next: boolean) => setOpenOn(next ? pathname : null);
  const bodyId = useId();
  return (
    <aside
      className={open ? "sidebar open" : "sidebar"}
      onKeyDown={(event) => {
        if (event.key === "Escape") setOpen(false);
      }}
    >
      {brand}
      <button type="button" className="menu-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
        Menu
      </button>
      <div className="menu-body" id={bodyId}>
        {children}
      </div>
    </aside>
  );
}
