import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";

// GET /api/health — liveness for the container and the start script; no secrets, no Jenkins call.
export async function GET() {
  try {
    await db.user.count();
    return NextResponse.json({ status: "ok" });
  } catch {
    return NextResponse.json({ status: "error", message: "database unreachable" }, { status: 503 });
  }
}
