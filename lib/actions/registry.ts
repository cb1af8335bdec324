import type { ActionSpec } from "./action";
import type { z } from "zod";
import * as userActions from "@/lib/users/user-actions";
import * as runActions from "@/lib/runs/actions";
import * as credentialActions from "@/lib/credentials/actions";
import * as scheduleActions from "@/lib/schedules/actions";
import * as tokenActions from "@/lib/api/token-actions";

/** Every server action, for the authorization walk in tests/integration/auth. */
export const ACTIONS: readonly ActionSpec<z.ZodType>[] = [
  ...Object.values(userActions),
  ...Object.values(credentialActions),
  runActions.startRunAction,
  runActions.stopRunAction,
  runActions.testConnectionAction,
  ...Object.values(scheduleActions),
  ...Object.values(tokenActions),
] as ActionSpec<z.ZodType>[];
