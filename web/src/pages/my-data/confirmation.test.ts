import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import { CONFIRMATION_WORDS, confirms, farewellAfter, isErasedProblem } from "./confirmation";

describe("the confirmation word", () => {
  it("is the shown word in either language", () => {
    expect(confirms("DELETE", CONFIRMATION_WORDS.en)).toBe(true);
    expect(confirms("حذف", CONFIRMATION_WORDS.ar)).toBe(true);
  });

  it("ignores Latin case and spaces at either end", () => {
    expect(confirms("  delete ", "DELETE")).toBe(true);
    expect(confirms("Delete", "DELETE")).toBe(true);
  });

  it("ignores Arabic marks and the tatweel, and folds compatibility forms", () => {
    expect(confirms("حَذْف", "حذف")).toBe(true);
    expect(confirms("حـذف", "حذف")).toBe(true);
    expect(confirms("ＤＥＬＥＴＥ", "DELETE")).toBe(true); // full-width letters
  });

  it("refuses anything else: empty, partial, longer, another word, the other language's word", () => {
    for (const typed of ["", "   ", "DELET", "DELETED", "DEL ETE", "delete it", "حذ", "حذف", "REMOVE"]) {
      expect(confirms(typed, "DELETE"), typed).toBe(false);
    }
    expect(confirms("DELETE", "حذف")).toBe(false);
  });
});

describe("what a failed DELETE means", () => {
  it("is goodbye on 404: the account is already erased", () => {
    expect(farewellAfter(new ApiError(404, "/problems/customer-not-found", "Not found"))).toBe("alreadyErased");
  });

  it("is a failure to show on anything else, the customer may try again", () => {
    for (const status of [0, 400, 403, 409, 429, 503]) {
      expect(farewellAfter(new ApiError(status, "/problems/x", "x")), String(status)).toBeNull();
    }
    expect(farewellAfter(new Error("boom"))).toBeNull();
  });

  it("tells an erased customer from one without a profile yet", () => {
    expect(isErasedProblem(new ApiError(404, "/problems/customer-not-found", "Not found"))).toBe(true);
    expect(isErasedProblem(new ApiError(404, "/problems/profile-not-found", "Not found"))).toBe(false);
    expect(isErasedProblem(new ApiError(403, "/problems/customer-not-found", "Forbidden"))).toBe(false);
  });
});
