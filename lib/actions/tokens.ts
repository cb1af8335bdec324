"use server";

import { serverAction } from "./server";
import * as specs from "@/lib/api/token-actions";

export const createToken = serverAction(specs.createTokenAction, { revalidate: "/account" });
export const revokeToken = serverAction(specs.revokeTokenAction, { revalidate: "/account" });
