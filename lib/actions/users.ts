"use server";

import { serverAction } from "./server";
import * as specs from "@/lib/users/user-actions";

export const addUser = serverAction(specs.addUserAction, "/users");
export const changeRole = serverAction(specs.changeRoleAction, "/users");
export const setDisabled = serverAction(specs.setDisabledAction, "/users");
export const removeUser = serverAction(specs.removeUserAction, "/users");
export const resetPassword = serverAction(specs.resetPasswordAction, "/users");
export const changeOwnPassword = serverAction(specs.changeOwnPasswordAction, "/");
