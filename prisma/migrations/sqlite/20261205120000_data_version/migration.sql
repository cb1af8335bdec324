-- PostgreSQL only (the content version of lib/db/data-version.ts): SQLite installs read every page afresh.
SELECT 1;
