import type { ActionSpec } from "./action";
import type { z } from "zod";
import * as userActions from "@/lib/users/user-actions";

/** Every server action, for the authorization walk in tests/integration/auth. */
export const ACTIONS: readonly ActionSpec<z.ZodType>[] = [...Object.values(userActions)] as ActionSpec<z.ZodType>[];
