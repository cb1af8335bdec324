/**
 * The page a signed-in user gets, with status 403, for a managers-only page. It is answered by
 * the proxy itself: a Next.js rewrite cannot carry a 403 status to a rendered page.
 */
export const FORBIDDEN_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Managers only · Restore Drill</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f6f7f9;color:#1c2430;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif}
main{background:#fff;border:1px solid #d8dde5;border-radius:8px;padding:1.25rem 1.5rem;width:min(420px,92vw)}
h1{font-size:1.5rem;margin:0 0 1rem}a{color:#1f5fbf}
</style></head>
<body><main><h1>Managers only</h1>
<p>This page is for managers. Ask a manager if you need something done here.</p>
<p><a href="/">Back to Restore Drill</a></p></main></body></html>`;
