/** Saving the data export as a file: a Blob and a download link, no server round trip. */
import { ApiError } from "../../api/client";

/** The file's name: the export's date in the customer's time zone (`customer-id-data-2026-03-01.json`). */
export function exportFileName(exportedAt: string, timeZone: string): string {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(exportedAt),
  );
  return `customer-id-data-${day}.json`;
}

/** Saves `document` as a JSON file named `fileName` (the browser's download). */
export function saveJson(document_: unknown, fileName: string): void {
  const blob = new Blob([JSON.stringify(document_, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // the browser reads the Blob as the download starts; the URL is freed a little later (revoking
  // it at once can cancel the download in some browsers)
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Whether a failed export is the one too large to answer (413 `export-too-large`). */
export function isTooLarge(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 413;
}
