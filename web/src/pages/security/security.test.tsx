import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { setupI18n } from "../../i18n/i18n";
import { registerPageMessages } from "../../routes";
import { renderInApp } from "../../test/render";
import type { Schemas } from "../../api/client";
import { AlertList } from "./AlertList";
import { RiskCard } from "./RiskCard";
import { TwoFactor } from "./TwoFactor";

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** The API as a table of answers by "METHOD /path": every request is recorded. */
function stubApi(answers: Record<string, { status: number; body: unknown } | (() => { status: number; body: unknown })>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal("fetch", async (input: Request) => {
    const url = new URL(input.url);
    const body = input.method === "GET" ? undefined : await input.clone().json();
    calls.push({ method: input.method, path: url.pathname, body });
    const entry = answers[`${input.method} ${url.pathname}`];
    if (!entry) {
      throw new Error(`unexpected ${input.method} ${url.pathname}`);
    }
    const answer = typeof entry === "function" ? entry() : entry;
    const type = answer.status >= 400 ? "application/problem+json" : "application/json";
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "Content-Type": type } });
  });
  return calls;
}

function withQueries(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderInApp(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

const SECURITY: Schemas["SecurityProfile"] = {
  riskScore: 65,
  riskLevel: "high",
  twoFactorEnabled: false,
  redemptionHold: true,
  openAlerts: 2,
  lastEvaluatedAt: "2026-03-01T09:30:00Z",
  recommendations: ["Turn on two-factor authentication."],
};

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("RiskCard", () => {
  it("shows the level, the score on a meter, the hold and the recommendations", () => {
    renderInApp(<RiskCard security={SECURITY} />);
    const level = screen.getByTestId("risk-level");
    expect(level.textContent).toBe("High risk");
    expect(level.getAttribute("data-level")).toBe("high");
    const meter = screen.getByRole("meter", { name: "Risk score: 65 of 100" });
    expect(meter.getAttribute("value")).toBe("65");
    expect(screen.getByTestId("hold-state").textContent).toBe("On hold");
    expect(screen.getByTestId("hold-notice").textContent).toMatch(/Contact support to lift the hold/);
    expect(screen.getByText("Turn on two-factor authentication.")).toBeTruthy();
  });

  it("tells staff how to lift the hold, without the customer's recommendations", () => {
    renderInApp(<RiskCard security={SECURITY} staff />);
    expect(screen.getByTestId("hold-notice").textContent).toMatch(/Resolving an open alert as legitimate lifts the hold/);
    expect(screen.queryByTestId("recommendations")).toBeNull();
  });

  it("tells staff when no open alert is left to lift the hold with", () => {
    renderInApp(<RiskCard security={{ ...SECURITY, openAlerts: 0 }} staff />);
    expect(screen.getByTestId("hold-notice").textContent).toMatch(/no alert is open/);
  });

  it("shows no hold notice when redemptions are allowed", () => {
    renderInApp(<RiskCard security={{ ...SECURITY, redemptionHold: false, riskLevel: "low", riskScore: 0 }} />);
    expect(screen.getByTestId("hold-state").textContent).toBe("Allowed");
    expect(screen.queryByTestId("hold-notice")).toBeNull();
  });
});

const TWO_FACTOR = "/customers/customer-1/security/two-factor";
const URI = "otpauth://totp/Customer%20ID:sara%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Customer%20ID";

describe("TwoFactor", () => {
  it("enrols with a QR code of otpauthUri and the key, then turns on with a 6-digit code", async () => {
    let verified = false;
    const calls = stubApi({
      [`POST ${TWO_FACTOR}`]: () =>
        calls.at(-1)!.body && (calls.at(-1)!.body as { action: string }).action === "enroll"
          ? { status: 200, body: { secret: "JBSWY3DPEHPK3PXP", otpauthUri: URI } }
          : ((verified = true), { status: 200, body: { twoFactorEnabled: true } }),
      "GET /customers/customer-1/security": { status: 200, body: { ...SECURITY, twoFactorEnabled: true } },
    });
    withQueries(<TwoFactor enabled={false} />);
    expect(screen.getByTestId("two-factor-state").textContent).toBe("Two-factor authentication is off.");
    fireEvent.click(screen.getByRole("button", { name: "Set up two-factor authentication" }));

    const qr = await screen.findByRole("img", { name: "QR code for your authenticator app" });
    expect(qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    expect(screen.getByTestId("manual-key").textContent).toBe("JBSW Y3DP EHPK 3PXP");
    expect(screen.getByText("Customer ID (sara@example.com)")).toBeTruthy();
    expect(calls[0]).toEqual({ method: "POST", path: TWO_FACTOR, body: { action: "enroll" } });

    const verify = screen.getByRole("button", { name: "Verify and turn on" });
    const code = screen.getByLabelText("6-digit code");
    fireEvent.change(code, { target: { value: "12 34a5" } });
    expect((code as HTMLInputElement).value).toBe("12345");
    expect((verify as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(code, { target: { value: "123456" } });
    expect((verify as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(verify);

    await screen.findByText("Two-factor authentication is now on.");
    expect(verified).toBe(true);
    expect(calls[1]).toEqual({ method: "POST", path: TWO_FACTOR, body: { action: "verify", code: "123456" } });
    expect(screen.getByTestId("two-factor-state").textContent).toBe("Two-factor authentication is on.");
    expect(screen.queryByTestId("enrolment")).toBeNull();
  });

  it("shows the problem of a wrong code and stays off", async () => {
    stubApi({
      [`POST ${TWO_FACTOR}`]: { status: 400, body: { type: "https://customer-id.example/problems/invalid-code", title: "Invalid input", status: 400, detail: "The code is wrong or was already used." } },
    });
    withQueries(<TwoFactor enabled />);
    fireEvent.change(screen.getByLabelText("6-digit code"), { target: { value: "000000" } });
    fireEvent.click(screen.getByRole("button", { name: "Turn off" }));
    const problem = await screen.findByRole("alert");
    expect(problem.getAttribute("data-problem-type")).toBe("https://customer-id.example/problems/invalid-code");
    expect(problem.textContent).toMatch(/The code is wrong or was already used\./);
    expect(screen.getByTestId("two-factor-state").textContent).toBe("Two-factor authentication is on.");
  });
});

const ALERT: Schemas["AlertOutput"] = {
  alertId: "alert-1",
  type: "failed_logins",
  severity: "medium",
  reason: "5 failed sign-ins within 15 minutes.",
  status: "open",
  createdAt: "2026-03-01T09:30:00Z",
  resolvedAt: null,
};

describe("AlertList", () => {
  it("answers 'this was not me' as fraud, after confirming, and reads the alerts again", async () => {
    let resolved = false;
    const calls = stubApi({
      "GET /customers/customer-1/security/alerts": () => ({
        status: 200,
        body: { items: resolved ? [] : [ALERT], nextCursor: null },
      }),
      "POST /customers/customer-1/security/alerts/alert-1/resolution": () => (
        (resolved = true), { status: 200, body: { ...ALERT, status: "resolved", resolvedAt: "2026-03-01T10:00:00Z" } }
      ),
    });
    withQueries(<AlertList customerId="customer-1" />);
    await screen.findByText("5 failed sign-ins within 15 minutes.");
    expect(screen.getByText("Failed sign-ins")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "This was not me" }));
    const dialog = screen.getByRole("dialog", { name: "This was not me" });
    expect(dialog.textContent).toMatch(/put your redemptions on hold/);
    expect(calls.filter((call) => call.method === "POST")).toEqual([]);
    fireEvent.click(screen.getAllByRole("button", { name: "This was not me" }).at(-1)!);
    await screen.findByText("No open alerts: nothing needs your attention.");
    expect(calls.filter((call) => call.method === "POST")).toEqual([
      { method: "POST", path: "/customers/customer-1/security/alerts/alert-1/resolution", body: { resolution: "fraud" } },
    ]);
  });

  it("offers staff the resolution that lifts a hold", async () => {
    const calls = stubApi({
      "GET /customers/customer-1/security/alerts": { status: 200, body: { items: [ALERT], nextCursor: null } },
      "POST /customers/customer-1/security/alerts/alert-1/resolution": { status: 200, body: { ...ALERT, status: "resolved" } },
    });
    withQueries(<AlertList customerId="customer-1" staff />);
    fireEvent.click(await screen.findByRole("button", { name: "Legitimate: lift the hold" }));
    fireEvent.click(screen.getAllByRole("button", { name: "Legitimate: lift the hold" }).at(-1)!);
    await waitFor(() => expect(calls.some((call) => call.method === "POST")).toBe(true));
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({ resolution: "legitimate" });
  });
});
