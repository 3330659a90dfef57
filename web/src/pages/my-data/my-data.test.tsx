import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { i18next, setupI18n } from "../../i18n/i18n";
import { registerPageMessages } from "../../routes";
import { renderInApp } from "../../test/render";
import type { Language } from "../../i18n/format";
import type { Farewell } from "./confirmation";
import { DeleteAccount } from "./DeleteAccount";
import { DownloadExport } from "./DownloadExport";

type Answer = { status: number; body: unknown };

/** The API as a table of answers by "METHOD /path"; every request is recorded. */
function stubApi(answers: Record<string, Answer>): string[] {
  const calls: string[] = [];
  vi.stubGlobal("fetch", async (input: Request) => {
    const url = new URL(input.url);
    const key = `${input.method} ${url.pathname}`;
    calls.push(key);
    const answer = answers[key];
    if (!answer) {
      throw new Error(`unexpected ${key}`);
    }
    const type = answer.status >= 400 ? "application/problem+json" : "application/json";
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "Content-Type": type } });
  });
  return calls;
}

function problem(status: number, type: string, title: string): Answer {
  return { status, body: { type, title, status, detail: title } };
}

function inApp(ui: ReactNode, language: Language = "en") {
  const left: Farewell[] = [];
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  renderInApp(<QueryClientProvider client={client}>{ui}</QueryClientProvider>, {
    language,
    timezone: "Asia/Riyadh",
    leave: (farewell) => left.push(farewell),
  });
  return left;
}

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

afterEach(async () => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await act(() => i18next.changeLanguage("en"));
});

function openDialog(name = "Delete my account", title = "Delete your account?") {
  fireEvent.click(screen.getByRole("button", { name }));
  return screen.getByRole("dialog", { name: title });
}

describe("deleting the account", () => {
  it("stays disabled until the word is typed, then erases and says goodbye", async () => {
    const calls = stubApi({ "DELETE /customers/customer-1": { status: 202, body: { customerId: "customer-1", status: "erasing" } } });
    const left = inApp(<DeleteAccount />);
    openDialog();
    const confirm = screen.getByRole("button", { name: "Delete for good" });
    const word = screen.getByLabelText("Type DELETE to confirm");
    expect(document.activeElement).toBe(word);
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(word, { target: { value: "DELET" } });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(confirm);
    fireEvent.keyDown(word, { key: "Enter" });
    expect(calls).toEqual([]);
    fireEvent.change(word, { target: { value: "delete" } });
    expect((confirm as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(left).toEqual(["erased"]));
    expect(calls).toEqual(["DELETE /customers/customer-1"]);
  });

  it("takes a 404 as already erased: goodbye all the same", async () => {
    stubApi({ "DELETE /customers/customer-1": problem(404, "/problems/customer-not-found", "Customer not found") });
    const left = inApp(<DeleteAccount />);
    openDialog();
    fireEvent.change(screen.getByLabelText("Type DELETE to confirm"), { target: { value: "DELETE" } });
    fireEvent.keyDown(screen.getByLabelText("Type DELETE to confirm"), { key: "Enter" });
    await waitFor(() => expect(left).toEqual(["alreadyErased"]));
  });

  it("shows any other failure in the dialog and stays signed in", async () => {
    stubApi({ "DELETE /customers/customer-1": problem(503, "/problems/busy", "The service is busy") });
    const left = inApp(<DeleteAccount />);
    const dialog = openDialog();
    fireEvent.change(screen.getByLabelText("Type DELETE to confirm"), { target: { value: "DELETE" } });
    fireEvent.click(screen.getByRole("button", { name: "Delete for good" }));
    await waitFor(() => expect(dialog.querySelector('[role=alert][data-problem-type="/problems/busy"]')).not.toBeNull());
    expect(screen.queryByRole("dialog")).not.toBeNull();
    expect(left).toEqual([]);
  });

  it("asks for the Arabic word in Arabic", async () => {
    const calls = stubApi({ "DELETE /customers/customer-1": { status: 202, body: { customerId: "customer-1", status: "erasing" } } });
    await act(() => i18next.changeLanguage("ar"));
    const left = inApp(<DeleteAccount />, "ar");
    openDialog("حذف حسابي", "هل تريد حذف حسابك؟");
    const word = screen.getByLabelText("اكتب حذف للتأكيد");
    const confirm = screen.getByRole("button", { name: "احذف نهائيًا" });
    fireEvent.change(word, { target: { value: "DELETE" } });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(word, { target: { value: "حذف" } });
    fireEvent.click(confirm);
    await waitFor(() => expect(left).toEqual(["erased"]));
    expect(calls).toEqual(["DELETE /customers/customer-1"]);
  });

  it("clears the typed word when cancelled", () => {
    stubApi({});
    inApp(<DeleteAccount />);
    openDialog();
    fireEvent.change(screen.getByLabelText("Type DELETE to confirm"), { target: { value: "DELETE" } });
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    openDialog();
    expect((screen.getByLabelText("Type DELETE to confirm") as HTMLInputElement).value).toBe("");
    expect((screen.getByRole("button", { name: "Delete for good" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("downloading the data", () => {
  it("saves the export as a file named by its day in the customer's time zone", async () => {
    const exported = { exportedAt: "2026-03-01T22:30:00Z", profile: { displayName: "Sara Haddad" } };
    stubApi({ "GET /customers/customer-1/data-export": { status: 200, body: exported } });
    const blobs: Blob[] = [];
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: (blob: Blob) => (blobs.push(blob), "blob:x"), revokeObjectURL: () => undefined }));
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    inApp(<DownloadExport />);
    fireEvent.click(screen.getByRole("button", { name: "Download my data" }));
    const done = await screen.findByTestId("export-done");
    expect(done.textContent).toContain("customer-id-data-2026-03-02.json");
    expect(names).toEqual(["customer-id-data-2026-03-02.json"]);
    expect(JSON.parse(await blobs[0]!.text())).toEqual(exported);
  });

  it("explains a 413: too large to download here", async () => {
    stubApi({ "GET /customers/customer-1/data-export": problem(413, "/problems/export-too-large", "Payload too large") });
    inApp(<DownloadExport />);
    fireEvent.click(screen.getByRole("button", { name: "Download my data" }));
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-problem-type")).toBe("/problems/export-too-large");
    expect(alert.textContent).toContain("Your data is too large to download here");
  });

  it("shows another failure with a retry", async () => {
    stubApi({ "GET /customers/customer-1/data-export": problem(503, "/problems/busy", "The service is busy") });
    inApp(<DownloadExport />);
    fireEvent.click(screen.getByRole("button", { name: "Download my data" }));
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-problem-type")).toBe("/problems/busy");
    expect(screen.queryByRole("button", { name: "Try again" })).not.toBeNull();
  });
});
