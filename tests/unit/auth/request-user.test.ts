import type { SessionUser } from "@/lib/auth/authenticate";
import { openRequestUser, sealRequestUser } from "@/lib/auth/request-user";

const SECRET = "a-long-random-secret-for-the-test-only";
const user: SessionUser = {
  id: "u1",
  email: "zoë@example.com",
  name: "Zoë Ünal",
  role: "manager",
  sessionVersion: 3,
  mustChangePassword: false,
  sessionId: "sid-abc",
};

describe("the user proxy.ts hands to the render of the same request", () => {
  it("comes back whole, non-ASCII names included, as a value a header can carry", () => {
    const sealed = sealRequestUser(user, SECRET);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(openRequestUser(sealed, SECRET)).toEqual(user);
  });

  it("is refused when forged: another secret, a changed payload, no secret, garbage", () => {
    const sealed = sealRequestUser(user, SECRET);
    expect(openRequestUser(sealed, "another-secret")).toBeNull();
    expect(openRequestUser(sealed, undefined)).toBeNull();
    const [, mac] = sealed.split(".");
    const manager = Buffer.from(JSON.stringify({ ...user, id: "u2" })).toString("base64url");
    expect(openRequestUser(`${manager}.${mac}`, SECRET)).toBeNull();
    expect(openRequestUser(`${sealed}x`, SECRET)).toBeNull();
    for (const junk of [null, undefined, "", ".", "abc", `.${mac}`]) expect(openRequestUser(junk, SECRET)).toBeNull();
  });
});
