/** The logic of erasure's confirmation: the word the customer must type, and what their answer means. */
import { ApiError } from "../../api/client";
import type { Language } from "../../i18n/format";

/** The word to type, in the app's language (shown in the dialog, so the customer copies what they see). */
export const CONFIRMATION_WORDS: Record<Language, string> = { en: "DELETE", ar: "حذف" };

// Arabic short vowels and other marks (harakat, U+064B..U+065F, the superscript alef U+0670) and the
// tatweel (U+0640) change how a word looks, not which word it is.
const ARABIC_MARKS = /[\u064B-\u065F\u0670\u0640]/g;

/** The typed text as compared: compatibility forms folded (NFKC), Arabic marks dropped, spaces at
 * either end dropped, and Latin case ignored. */
export function normalise(text: string): string {
  return text.normalize("NFKC").replace(ARABIC_MARKS, "").trim().toLocaleUpperCase("en");
}

/** Whether `typed` is the confirmation word: the only way to enable the erasure. */
export function confirms(typed: string, word: string): boolean {
  return normalise(typed) !== "" && normalise(typed) === normalise(word);
}

/** How the app says goodbye: the account is being erased now, or it already was (a 404). */
export type Farewell = "erased" | "alreadyErased";

/** A failed DELETE that still means goodbye: 404, the customer is already erased (API.md "Data
 * rights": a second DELETE answers 404). Any other failure is shown, and the customer may try again. */
export function farewellAfter(error: unknown): Farewell | null {
  return error instanceof ApiError && error.status === 404 ? "alreadyErased" : null;
}

/** Whether a 404 of the customer's own routes says they are erased (not merely without a profile). */
export function isErasedProblem(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.type.endsWith("/customer-not-found");
}
