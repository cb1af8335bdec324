import { db } from "@/lib/db/client";
import { defineAction } from "@/lib/actions/action";
import {
  addUserSchema,
  changeOwnPasswordSchema,
  changeRoleSchema,
  setDisabledSchema,
  signOutEverywhereSchema,
  userRefSchema,
} from "@/lib/validation/user";
import { addUser, changeOwnPassword, changeRole, removeUser, resetPassword, setDisabled, signOutEverywhere } from "./manage";

export const addUserAction = defineAction({
  name: "users.add",
  audit: "user.add",
  access: "manager",
  schema: addUserSchema,
  secretFields: ["password"],
  handler: async (input, { user }) => {
    const { user: created, oneTimePassword } = await addUser(db, user, input);
    return {
      message: `Added ${created.email}.`,
      result: { userId: created.id, email: created.email, ...(oneTimePassword ? { oneTimePassword } : {}) },
    };
  },
});

export const changeRoleAction = defineAction({
  name: "users.change-role",
  audit: "user.change-role",
  access: "manager",
  schema: changeRoleSchema,
  handler: async ({ userId, role }, { user }) => {
    await changeRole(db, user, userId, role);
    return { message: `Role changed to ${role}.` };
  },
});

export const setDisabledAction = defineAction({
  name: "users.set-disabled",
  audit: "user.set-disabled",
  access: "manager",
  schema: setDisabledSchema,
  handler: async ({ userId, disabled }, { user }) => {
    await setDisabled(db, user, userId, disabled);
    return { message: disabled ? "Account disabled; its sessions have ended." : "Account enabled." };
  },
});

export const removeUserAction = defineAction({
  name: "users.remove",
  audit: "user.remove",
  access: "manager",
  schema: userRefSchema,
  handler: async ({ userId }, { user }) => {
    await removeUser(db, user, userId);
    return { message: "User removed." };
  },
});

export const resetPasswordAction = defineAction({
  name: "users.reset-password",
  audit: "user.reset-password",
  access: "manager",
  schema: userRefSchema,
  handler: async ({ userId }, { user }) => {
    const { email, oneTimePassword } = await resetPassword(db, user, userId);
    return { message: `New one-time password for ${email}; it is shown only once.`, result: { oneTimePassword } };
  },
});

export const changeOwnPasswordAction = defineAction({
  name: "account.change-password",
  audit: "user.change-own-password",
  access: "user",
  beforePasswordChange: true,
  schema: changeOwnPasswordSchema,
  secretFields: ["current", "next", "confirm"],
  handler: async ({ current, next }, { user }) => {
    await changeOwnPassword(db, user, current, next);
    return { message: "Password changed. Your other sessions have ended." };
  },
});

export const signOutEverywhereAction = defineAction({
  name: "account.sign-out-everywhere",
  audit: "auth.sign-out-everywhere",
  access: "user",
  beforePasswordChange: true,
  schema: signOutEverywhereSchema,
  handler: async (_input, { user }) => {
    const ended = await signOutEverywhere(db, user);
    return { message: `Signed out of ${ended} session${ended === 1 ? "" : "s"}, this one included.` };
  },
});
