import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { useTranslation } from "react-i18next";
import { i18next, setupI18n } from "../i18n/i18n";
import { LanguageSwitch } from "./LanguageSwitch";

function Harness() {
  const { t, i18n } = useTranslation();
  return (
    <>
      <p>{t("signIn")}</p>
      <LanguageSwitch language={i18n.language === "ar" ? "ar" : "en"} onChange={(next) => void i18n.changeLanguage(next)} />
    </>
  );
}

beforeAll(async () => {
  await setupI18n("en");
});

afterAll(async () => {
  await i18next.changeLanguage("en");
});

describe("switching language", () => {
  it("turns the whole document right to left in Arabic and back", async () => {
    render(<Harness />);
    expect(document.documentElement.dir).toBe("ltr");
    expect(document.documentElement.lang).toBe("en");

    fireEvent.click(screen.getByRole("button", { name: "العربية" }));
    await screen.findByText("تسجيل الدخول");
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("ar");
    expect(localStorage.getItem("customer-id.language")).toBe("ar");

    fireEvent.click(screen.getByRole("button", { name: "English" }));
    await screen.findByText("Sign in");
    expect(document.documentElement.dir).toBe("ltr");
    expect(document.documentElement.lang).toBe("en");
  });
});
