/** What an authenticator app reads from an `otpauth://totp/...` URI (the Key URI Format), shown next
 * to its QR code so a customer can check the account or type the key by hand. */
export interface OtpAuth {
  issuer: string | null;
  account: string;
  secret: string;
  digits: number;
  period: number;
}

/** The parts of an otpauth TOTP URI; null for anything else (another scheme, HOTP, no secret). */
export function parseOtpAuth(uri: string): OtpAuth | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  // otpauth is not a special scheme: the type is the host, the label the path
  if (url.protocol !== "otpauth:" || url.hostname.toLowerCase() !== "totp") {
    return null;
  }
  const secret = url.searchParams.get("secret");
  if (!secret) {
    return null;
  }
  const label = decodeURIComponent(url.pathname.replace(/^\//, ""));
  const colon = label.indexOf(":");
  const labelIssuer = colon >= 0 ? label.slice(0, colon).trim() : null;
  const account = colon >= 0 ? label.slice(colon + 1).trim() : label.trim();
  return {
    issuer: url.searchParams.get("issuer") ?? labelIssuer,
    account,
    secret: secret.toUpperCase(),
    digits: Number(url.searchParams.get("digits") ?? 6),
    period: Number(url.searchParams.get("period") ?? 30),
  };
}

/** A base32 key in groups of four, easier to type: "JBSW Y3DP EHPK 3PXP". */
export function groupKey(secret: string): string {
  return secret.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}
