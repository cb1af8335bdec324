import { z } from "zod";

// Runs in the browser before the app's own code. Zod compiles object parsers with `new Function`
// when it may; its probe for that is a caught eval, which the Content-Security-Policy (no
// 'unsafe-eval', lib/http/security-headers.ts) still reports as a violation. The forms' schemas
// are small: interpreted parsing costs nothing a person would notice.
z.config({ jitless: true });
