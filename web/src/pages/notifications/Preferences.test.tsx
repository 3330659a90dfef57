import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { Schemas } from "../../api/client";
import { setupI18n } from "../../i18n/i18n";
import { registerPageMessages } from "../../routes";
import { renderInApp } from "../../test/render";
import { PreferencesForm } from "./Preferences";

const DEFAULTS: Schemas["NotificationPreferences"] = {
  channels: { email: true, sms: false, push: true, inApp: true },
  categories: { loyalty: true, offers: true, rewards: true, security: true, support: true, marketing: false },
  quietHours: null,
};

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The form against a fetch that answers every PUT with the body it was sent; the bodies it got. */
function renderForm(saved = DEFAULTS, timezone = "Asia/Riyadh") {
  const sent: unknown[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const body = await request.text();
      sent.push({ method: request.method, url: request.url, body: JSON.parse(body) });
      return new Response(body, { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  renderInApp(
    <QueryClientProvider client={new QueryClient()}>
      <PreferencesForm saved={saved} />
    </QueryClientProvider>,
    { timezone },
  );
  return sent;
}

describe("notification preferences", () => {
  it("show security locked on, whatever the document says", () => {
    renderForm();
    const security = screen.getByRole("checkbox", { name: /Security/ });
    expect((security as HTMLInputElement).checked).toBe(true);
    expect((security as HTMLInputElement).disabled).toBe(true);
    expect(security.getAttribute("aria-describedby")).toBeTruthy();
    expect(document.getElementById(security.getAttribute("aria-describedby")!)?.textContent).toContain("Always on");
    expect((screen.getByRole("checkbox", { name: "News and promotions" }) as HTMLInputElement).checked).toBe(false);
  });

  it("save the whole document with one PUT: channels, topics and quiet hours", async () => {
    const sent = renderForm();
    fireEvent.click(screen.getByRole("checkbox", { name: "SMS" }));
    expect(screen.getByText("SMS needs a phone number in your profile.")).toBeTruthy();
    fireEvent.click(screen.getByRole("checkbox", { name: "Offers" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Pause email and SMS during quiet hours" }));
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "23:15" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "06:45" } });
    expect(screen.getByTestId("quiet-summary").textContent).toContain("From 23:15 to 06:45 (Asia/Riyadh)");
    expect(screen.getByText("The quiet hours run overnight, past midnight.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));
    await screen.findByText("Your settings are saved.");
    expect(sent).toEqual([
      {
        method: "PUT",
        url: "http://api.invalid/customers/customer-1/notification-preferences",
        body: {
          channels: { email: true, sms: true, push: true, inApp: true },
          categories: { loyalty: true, offers: false, rewards: true, security: true, support: true, marketing: false },
          quietHours: { start: "23:15", end: "06:45" },
        },
      },
    ]);
    // a change after the save is not saved yet
    fireEvent.click(screen.getByRole("checkbox", { name: "Email" }));
    expect(screen.queryByText("Your settings are saved.")).toBeNull();
  });

  it("switch quiet hours off as null, and refuse a window that starts when it ends", async () => {
    const sent = renderForm({ ...DEFAULTS, quietHours: { start: "22:00", end: "07:00" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "22:00" } });
    expect(screen.getByText("The start and the end must differ.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save settings" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole("checkbox", { name: "Pause email and SMS during quiet hours" }));
    expect(screen.queryByLabelText("From")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0] as { body: { quietHours: unknown } }).body.quietHours).toBeNull();
  });
});
