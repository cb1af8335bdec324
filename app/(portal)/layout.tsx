import Link from "next/link";
import { NavLinks, type NavItem } from "@/components/nav-links";
import { NavMenu } from "@/components/nav-menu";
import { SignOutButton } from "@/components/sign-out-button";
import { requireUser } from "@/lib/auth/current-user";

const EVERYONE: NavItem[] = [
  { href: "/runs/new", label: "Run a restore" },
  { href: "/schedules", label: "Schedules" },
  { href: "/results", label: "Results" },
  { href: "/statistics", label: "Statistics" },
];

const MANAGERS: NavItem[] = [
  { href: "/credentials", label: "Credentials" },
  { href: "/users", label: "Users" },
  { href: "/audit", label: "Audit" },
];

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <NavMenu
        brand={
          <Link href="/" className="brand">
            Restore Drill
          </Link>
        }
      >
        <nav aria-label="Main">
          <NavLinks items={EVERYONE} />
          {user.role === "manager" && (
            <>
              <div className="section" aria-hidden="true">
                Manage
              </div>
              <NavLinks items={MANAGERS} />
            </>
          )}
        </nav>
        <div className="me">
          <div>{user.name}</div>
          <div>
            {user.email} · {user.role}
          </div>
          <div>
            <Link href="/account">Account and API tokens</Link>
          </div>
          <SignOutButton />
        </div>
      </NavMenu>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
