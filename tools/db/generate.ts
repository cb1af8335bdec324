// npm run db:generate — one Prisma client per provider under lib/generated/prisma/<provider>/client.
import { PROVIDERS, writeProviderSchema } from "./schemas";
import { prisma } from "./prisma-cli";

for (const provider of PROVIDERS) {
  const schema = writeProviderSchema(provider);
  prisma(["generate"], { schema, provider });
  console.log(`generated Prisma client for ${provider}`);
}
