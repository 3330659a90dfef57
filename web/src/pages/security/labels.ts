/** A country code (ISO 3166-1 alpha-2) as its name in the reader's locale; the code when Intl does
 * not know it. */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region", fallback: "code" }).of(code) ?? code;
  } catch {
    return code;
  }
}
