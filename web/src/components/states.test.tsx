import { beforeAll, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { ApiError, data } from "../api/client";
import { setupI18n } from "../i18n/i18n";
import { ErrorState, QueryView } from "./states";

beforeAll(async () => {
  await setupI18n("en");
});

describe("the error state", () => {
  it("shows the API's problem (its title, detail and type) and retries", () => {
    const retry = vi.fn();
    const problem = new ApiError(409, "https://customer-id/problems/insufficient-points", "Not enough points", "You have 100 points.");
    render(<ErrorState error={problem} onRetry={retry} />);
    const alert = screen.getByRole("alert");
    expect(alert.getAttribute("data-problem-type")).toBe("https://customer-id/problems/insufficient-points");
    expect(alert.textContent).toContain("Not enough points");
    expect(alert.textContent).toContain("You have 100 points.");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it("says the service cannot be reached when the request never got an answer", () => {
    render(<ErrorState error={new ApiError(0, "network", "TypeError: Failed to fetch")} />);
    expect(screen.getByRole("alert").textContent).toContain("The service cannot be reached");
  });
});

describe("QueryView", () => {
  const base = { isPending: false, isError: false, error: null, data: undefined, refetch: () => undefined };
  it("shows loading, then the content", () => {
    const { rerender } = render(<QueryView query={{ ...base, isPending: true }}>{() => <p>content</p>}</QueryView>);
    expect(screen.getByRole("status").textContent).toContain("Loading");
    rerender(<QueryView query={{ ...base, data: "x" }}>{(value) => <p>content {value}</p>}</QueryView>);
    expect(screen.getByText("content x")).toBeTruthy();
  });
});

describe("data()", () => {
  it("throws a problem+json answer as an ApiError with its status and type", async () => {
    const response = new Response("{}", { status: 403 });
    const error = { type: "/problems/forbidden", title: "Forbidden", status: 403, detail: "Not yours." };
    await expect(data(Promise.resolve({ error, response }))).rejects.toMatchObject({
      status: 403,
      type: "/problems/forbidden",
      title: "Forbidden",
      detail: "Not yours.",
    });
  });

  it("throws a network failure as status 0", async () => {
    await expect(data(Promise.reject(new TypeError("Failed to fetch")))).rejects.toMatchObject({ status: 0, type: "network" });
  });

  it("returns the data of a success", async () => {
    await expect(data(Promise.resolve({ data: { ok: 1 }, response: new Response("{}", { status: 200 }) }))).resolves.toEqual({ ok: 1 });
  });
});
