import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { i18next, setupI18n } from "../i18n/i18n";
import { pages, registerPageMessages } from "../routes";
import { renderInApp } from "../test/render";
import type { PageDefinition } from "../pages/types";
import { BAR_LINKS, navigationFor } from "./navigation";
import { Shell } from "./Shell";

const page = (path: string, audience: PageDefinition["audience"], groups?: PageDefinition["groups"]): PageDefinition => ({
  path,
  namespace: path,
  messages: { en: { title: path }, ar: { title: path } },
  audience,
  groups,
  icon: null,
  Component: () => null,
});

/** The viewport as `matchMedia` reports it: a phone (390 px) or a wide screen. */
function viewport(wide: boolean) {
  vi.stubGlobal("matchMedia", (query: string) => ({
    matches: wide,
    media: query,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
}

/** The shell on `path`, each page rendering its path as text, for a user in `groups`. */
function renderShell(path: string, groups: string[] = []) {
  const router = createMemoryRouter(
    [{ path: "/", Component: Shell, children: pages.map((entry) => ({ path: entry.path, element: <p>page {entry.path}</p> })) }],
    { initialEntries: [path] },
  );
  return renderInApp(<RouterProvider router={router} />, { groups });
}

const navigation = () => screen.getByRole("navigation", { name: "Main" });
const linkNames = () => within(navigation()).queryAllByRole("link").map((link) => link.textContent);

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

afterEach(async () => {
  cleanup(); // before matchMedia goes: the language change below re-renders what is still mounted
  vi.unstubAllGlobals();
  await i18next.changeLanguage("en");
});

describe("navigationFor", () => {
  const customer = ["a", "b", "c", "d", "e", "f"].map((path) => page(path, "customer"));
  const staff = [page("s1", "staff"), page("s2", "staff", ["admins"])];

  it("puts the first links in the phone bar and the rest behind More", () => {
    const { links, bar, more } = navigationFor([...customer, ...staff], []);
    expect(links.map((entry) => entry.path)).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(bar.map((entry) => entry.path)).toEqual(["a", "b", "c", "d"]);
    expect(more.map((entry) => entry.path)).toEqual(["e", "f"]);
  });

  it("gives a customer no staff page, and staff their own pages first", () => {
    expect(navigationFor([...customer, ...staff], ["agents"]).links.map((entry) => entry.path)).toEqual([
      "s1",
      "a",
      "b",
      "c",
      "d",
      "e",
      "f",
    ]);
    expect(navigationFor([...customer, ...staff], ["admins"]).bar.map((entry) => entry.path)).toEqual(["s1", "s2", "a", "b"]);
  });

  it("needs no More when every link fits the bar", () => {
    const five = customer.slice(0, BAR_LINKS + 1);
    expect(navigationFor(five, []).bar).toHaveLength(5);
    expect(navigationFor(five, []).more).toEqual([]);
  });
});

describe("the shell's navigation on a phone", () => {
  it("shows four links and a More button that opens the others, focus in, Escape closes and gives focus back", () => {
    viewport(false);
    renderShell("/loyalty");
    expect(linkNames()).toEqual(["Loyalty", "Offers", "Spending", "Help"]);
    const more = within(navigation()).getByRole("button", { name: "More" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    const sheet = document.getElementById(more.getAttribute("aria-controls")!)!;
    expect(sheet.hidden).toBe(true);

    fireEvent.click(more);
    expect(more.getAttribute("aria-expanded")).toBe("true");
    expect(sheet.hidden).toBe(false);
    expect(linkNames()).toEqual([
      "Loyalty",
      "Offers",
      "Spending",
      "Help",
      "Referral",
      "My segment",
      "Notifications",
      "Support",
      "Special dates",
      "Security",
      "My data",
    ]);
    expect(document.activeElement).toBe(within(sheet).getByRole("link", { name: "Referral" }));

    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    expect(sheet.hidden).toBe(true);
    expect(document.activeElement).toBe(more);
  });

  it("closes the sheet on a tap outside, and after following one of its links marks More as the current place", async () => {
    viewport(false);
    renderShell("/loyalty");
    fireEvent.click(within(navigation()).getByRole("button", { name: "More" }));
    fireEvent.click(document.querySelector(".nav-scrim")!);
    expect(within(navigation()).getByRole("button", { name: "More" }).getAttribute("aria-expanded")).toBe("false");

    fireEvent.click(within(navigation()).getByRole("button", { name: "More" }));
    await act(async () => {
      fireEvent.click(within(navigation()).getByRole("link", { name: "Notifications" }));
    });
    await screen.findByText("page notifications");
    const more = within(navigation()).getByRole("button", { name: "More" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    expect(more.classList.contains("active")).toBe(true);
    expect(document.querySelector(".nav-scrim")).toBeNull();
  });

  it("names More in Arabic", async () => {
    viewport(false);
    await i18next.changeLanguage("ar");
    renderShell("/loyalty");
    expect(within(screen.getByRole("navigation")).getByRole("button", { name: "المزيد" })).toBeTruthy();
  });

  it("puts a staff member's pages in the bar", () => {
    viewport(false);
    renderShell("/loyalty", ["agents"]);
    expect(linkNames()).toEqual(["Chat queue", "Ticket triage", "Fraud review", "Loyalty"]);
  });
});

describe("the shell's navigation on a wide screen", () => {
  it("lists every link in the side column, with no More button", () => {
    viewport(true);
    renderShell("/loyalty", ["admins"]);
    expect(linkNames()).toEqual([
      "Chat queue",
      "Ticket triage",
      "Fraud review",
      "New offer",
      "New FAQ",
      "Segment stats",
      "Loyalty",
      "Offers",
      "Spending",
      "Help",
      "Referral",
      "My segment",
      "Notifications",
      "Support",
      "Special dates",
      "Security",
      "My data",
    ]);
    expect(within(navigation()).queryByRole("button")).toBeNull();
  });
});
