import { z } from "zod";

// Shared by the browser forms, the server actions and the API: one message per rule.

export const ROLES = ["manager", "user"] as const;
export const roleSchema = z.enum(ROLES, { message: "Choose a role: manager or user" });

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter an email address")
  .max(254, "Email addresses are at most 254 characters")
  .pipe(z.email({ message: "Enter a valid email address" }));

export const nameSchema = z.string().trim().min(1, "Enter a name").max(100, "Names are at most 100 characters");

export const PASSWORD_MIN = 12;
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(200, "Passwords are at most 200 characters")
  .refine((p) => new Set(p).size >= 5, "This password is too easy to guess: use more different characters");

export const userIdSchema = z.string().min(1).max(40);

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(200),
});

const addUserFields = z.object({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  passwordMode: z.enum(["one-time", "set"], { message: "Choose how the first password is given" }),
  password: z.string().max(200).optional(),
});

export const addUserSchema = addUserFields.superRefine(
  (v, ctx) => {
    if (v.passwordMode !== "set") return;
    const r = passwordSchema.safeParse(v.password ?? "");
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: "custom", path: ["password"], message: issue.message });
    const localPart = typeof v.email === "string" ? v.email.split("@")[0] : "";
    if (r.success && localPart && v.password?.toLowerCase().includes(localPart.toLowerCase()))
      ctx.addIssue({ code: "custom", path: ["password"], message: "The password must not contain the email name" });
  },
  {
    // Check the password even when other fields are wrong, so that every message shows at once.
    when: (payload) => addUserFields.pick({ passwordMode: true, password: true }).safeParse(payload.value).success,
  },
);
export type AddUserInput = z.input<typeof addUserSchema>;

export const changeRoleSchema = z.object({ userId: userIdSchema, role: roleSchema });
export const userRefSchema = z.object({ userId: userIdSchema });
export const setDisabledSchema = z.object({ userId: userIdSchema, disabled: z.coerce.boolean() });

export const changeOwnPasswordSchema = z
  .object({ current: z.string().min(1, "Enter your current password").max(200), next: passwordSchema, confirm: z.string() })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "The two passwords differ" });

/** "Sign out everywhere" on the account page: the form says what it asks for, nothing else. */
export const signOutEverywhereSchema = z.object({ scope: z.literal("everywhere", { message: "Nothing to sign out of" }) });
