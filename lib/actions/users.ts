"use server";

import { serverAction } from "./server";
import * as specs from "@/lib/users/user-actions";

export const addUser = serverAction(specs.addUserAction, { revalidate: "/users" });
export const changeRole = serverAction(specs.changeRoleAction, { revalidate: "/users" });
export const setDisabled = serverAction(specs.setDisabledAction, { revalidate: "/users" });
export const removeUser = serverAction(specs.removeUserAction, { revalidate: "/users", redirectTo: "/users" });
export const resetPassword = serverAction(specs.resetPasswordAction, { revalidate: "/users" });
export const changeOwnPassword = serverAction(specs.changeOwnPasswordAction, { redirectTo: "/" });
export const signOutEverywhere = serverAction(specs.signOutEverywhereAction, { redirectTo: "/signin" });
