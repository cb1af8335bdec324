import type { ApiContext } from "../api/representations";
import type { Principal } from "../auth";
import type { EmulatorCore } from "../core";
import type { Exchange } from "../http/exchange";

export interface RouteContext {
  core: EmulatorCore;
  ex: Exchange;
  principal: Principal;
  root: string;
  api: ApiContext;
}

export function exportOptions(ex: Exchange): { depth?: number; tree?: string } {
  const depth = ex.url.searchParams.get("depth");
  const tree = ex.url.searchParams.get("tree");
  return { depth: depth === null ? undefined : Number(depth) || 0, tree: tree ?? undefined };
}
