import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { i18next, setArabicDigitsInTexts, setupI18n, toArabicDigits } from "./i18n";
import { registerPageMessages } from "../routes";

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

afterAll(async () => {
  setArabicDigitsInTexts(false);
  await i18next.changeLanguage("en");
});

describe("Arabic-Indic digits", () => {
  it("are written in the texts only in Arabic, and only when asked for", async () => {
    const expiring = () => i18next.t("expiring", { ns: "loyalty" });
    expect(expiring()).toBe("Expiring in the next 30 days");
    setArabicDigitsInTexts(true);
    expect(expiring()).toBe("Expiring in the next 30 days"); // English keeps its digits
    await i18next.changeLanguage("ar");
    expect(expiring()).toBe("تنتهي خلال ٣٠ يوماً");
    setArabicDigitsInTexts(false);
    expect(expiring()).toBe("تنتهي خلال 30 يوماً");
  });

  it("maps every digit", () => {
    expect(toArabicDigits("0123456789 SAR 12.50")).toBe("٠١٢٣٤٥٦٧٨٩ SAR ١٢.٥٠");
  });
});

describe("page messages", () => {
  it("every page has the same keys in English and Arabic", async () => {
    const { pages } = await import("../routes");
    for (const page of pages) {
      const english = Object.keys(page.messages.en).filter((key) => !/_(zero|one|two|few|many|other)$/.test(key)).sort();
      const arabic = Object.keys(page.messages.ar).filter((key) => !/_(zero|one|two|few|many|other)$/.test(key)).sort();
      expect(arabic, page.namespace).toEqual(english);
    }
  });
});
