import { defineAction } from "@/lib/actions/action";
import { db } from "@/lib/db/client";
import { createTokenSchema, tokenRefSchema } from "./token-schema";
import { createToken, revokeToken } from "./tokens";

export const createTokenAction = defineAction({
  name: "tokens.create",
  audit: "token.create",
  access: "user",
  schema: createTokenSchema,
  handler: async (input, { user }) => {
    const { token, view } = await createToken(db, user, input);
    // The one and only time the token leaves the server: the page shows it once.
    return { message: `Token "${view.name}" created.`, result: { token, tokenId: view.id, name: view.name } };
  },
});

export const revokeTokenAction = defineAction({
  name: "tokens.revoke",
  audit: "token.revoke",
  access: "user",
  schema: tokenRefSchema,
  handler: async ({ tokenId }, { user }) => {
    await revokeToken(db, user, tokenId);
    return { message: "Token revoked: it stops working at once." };
  },
});
