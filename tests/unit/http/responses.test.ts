import { badFilters, forbidden, forbiddenPage, notFound, unauthenticated } from "@/lib/http/responses";

const answer = async (r: Response) => ({ status: r.status, body: (await r.json()) as unknown });

describe("the error answers of route handlers and the proxy", () => {
  it("should say who must sign in, who may not, and what is missing, each with its status", async () => {
    expect(await answer(unauthenticated())).toEqual({ status: 401, body: { error: "unauthenticated", message: "Sign in first." } });
    expect(await answer(forbidden())).toEqual({ status: 403, body: { error: "forbidden", message: "Managers only." } });
    expect(await answer(notFound("No such run."))).toEqual({ status: 404, body: { error: "not-found", message: "No such run." } });
    const page = forbiddenPage();
    expect([page.status, page.headers.get("content-type")]).toEqual([403, "text/html; charset=utf-8"]);
  });

  it("should list every refused filter in one 400", async () => {
    expect(await answer(badFilters({ from: ["Enter a date."], to: ["Too late.", "Really."] }))).toEqual({
      status: 400,
      body: {
        error: "bad-filters",
        message: "from: Enter a date. to: Too late. Really.",
        fields: { from: ["Enter a date."], to: ["Too late.", "Really."] },
      },
    });
  });
});
