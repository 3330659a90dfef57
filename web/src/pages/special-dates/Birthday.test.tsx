import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { setupI18n } from "../../i18n/i18n";
import { registerPageMessages } from "../../routes";
import { renderInApp } from "../../test/render";
import { BirthdayCard } from "./Birthday";

const ANSWER = { birthday: { month: 2, day: 29, year: 1996 }, anniversary: { month: 1, day: 1, since: "2026-01-01" } };

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function renderCard(birthday: { month: number; day: number; year: number | null } | null) {
  const sent: unknown[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      sent.push({ method: request.method, url: request.url, body: await request.json() });
      return new Response(JSON.stringify(ANSWER), { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  renderInApp(
    <QueryClientProvider client={new QueryClient()}>
      <BirthdayCard birthday={birthday} />
    </QueryClientProvider>,
  );
  return sent;
}

const days = () => within(screen.getByTestId("birthday-day")).getAllByRole("option").length - 1; // less "Choose a day"

describe("the birthday", () => {
  it("is read-only once set", () => {
    const sent = renderCard({ month: 3, day: 14, year: 1994 });
    expect(screen.getByTestId("birthday").textContent).toBe("March 14, 1994");
    expect(screen.getByText("Your birthday is set. To correct it, contact support.")).toBeTruthy();
    expect(screen.queryByRole("combobox")).toBeNull();
    expect(screen.queryByRole("button")).toBeNull();
    expect(sent).toEqual([]);
  });

  it("offers the days of the chosen month, and refuses a day the year does not have", () => {
    renderCard(null);
    fireEvent.change(screen.getByTestId("birthday-month"), { target: { value: "1" } });
    fireEvent.change(screen.getByTestId("birthday-day"), { target: { value: "31" } });
    expect(days()).toBe(31);
    fireEvent.change(screen.getByTestId("birthday-month"), { target: { value: "4" } });
    expect(days()).toBe(30);
    expect((screen.getByTestId("birthday-day") as HTMLSelectElement).value).toBe(""); // 31 April is gone
    fireEvent.change(screen.getByTestId("birthday-month"), { target: { value: "2" } });
    expect(days()).toBe(29);
    fireEvent.change(screen.getByTestId("birthday-day"), { target: { value: "29" } });
    fireEvent.change(screen.getByLabelText("Year (optional)"), { target: { value: "1995" } });
    expect(screen.getByText("That month has no such day.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save my birthday" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("is saved only once the customer confirms it", async () => {
    const sent = renderCard(null);
    fireEvent.change(screen.getByTestId("birthday-month"), { target: { value: "2" } });
    fireEvent.change(screen.getByTestId("birthday-day"), { target: { value: "29" } });
    fireEvent.change(screen.getByLabelText("Year (optional)"), { target: { value: "1996" } });
    fireEvent.click(screen.getByRole("button", { name: "Save my birthday" }));
    const dialog = screen.getByRole("dialog", { name: "Save February 29, 1996 as your birthday?" });
    expect(sent).toEqual([]); // nothing is saved before the customer confirms
    fireEvent.click(within(dialog).getByRole("button", { name: "Yes, save it" }));
    await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(sent).toEqual([
      {
        method: "PUT",
        url: "http://api.invalid/customers/customer-1/special-dates",
        body: { birthday: { month: 2, day: 29, year: 1996 } },
      },
    ]);
  });

  it("leaves the year out when none is given", async () => {
    const sent = renderCard(null);
    fireEvent.change(screen.getByTestId("birthday-month"), { target: { value: "12" } });
    fireEvent.change(screen.getByTestId("birthday-day"), { target: { value: "31" } });
    fireEvent.click(screen.getByRole("button", { name: "Save my birthday" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, save it" }));
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0] as { body: unknown }).body).toEqual({ birthday: { month: 12, day: 31 } });
  });
});
