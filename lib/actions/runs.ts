"use server";

import { serverAction } from "./server";
import * as specs from "@/lib/runs/actions";

export const startRun = serverAction(specs.startRunAction, { redirectTo: (state) => `/runs/${state.result?.runId}` });
export const stopRun = serverAction(specs.stopRunAction);
export const testConnection = serverAction(specs.testConnectionAction);
