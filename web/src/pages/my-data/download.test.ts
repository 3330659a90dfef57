import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client";
import { exportFileName, isTooLarge, saveJson } from "./download";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("the export file", () => {
  it("is named by the export's day in the customer's time zone", () => {
    // 22:30 UTC on 1 March is already 2 March in Riyadh (UTC+3), still 1 March in New York
    expect(exportFileName("2026-03-01T22:30:00Z", "Asia/Riyadh")).toBe("customer-id-data-2026-03-02.json");
    expect(exportFileName("2026-03-01T22:30:00Z", "America/New_York")).toBe("customer-id-data-2026-03-01.json");
  });

  it("is saved as a JSON Blob through a download link", async () => {
    const blobs: Blob[] = [];
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: (blob: Blob) => (blobs.push(blob), "blob:export"), revokeObjectURL: () => undefined }));
    const clicked: { download: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href });
    });
    saveJson({ profile: { displayName: "Sara" } }, "customer-id-data-2026-03-02.json");
    expect(clicked).toEqual([{ download: "customer-id-data-2026-03-02.json", href: "blob:export" }]);
    expect(blobs[0]!.type).toBe("application/json");
    expect(JSON.parse(await blobs[0]!.text())).toEqual({ profile: { displayName: "Sara" } });
    expect(document.querySelector("a[download]")).toBeNull(); // the link is gone again
  });

  it("is too large only on 413", () => {
    expect(isTooLarge(new ApiError(413, "/problems/export-too-large", "Too large"))).toBe(true);
    expect(isTooLarge(new ApiError(503, "/problems/busy", "Busy"))).toBe(false);
  });
});
