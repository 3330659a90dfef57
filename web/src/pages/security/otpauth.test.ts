import { describe, expect, it } from "vitest";
import { groupKey, parseOtpAuth } from "./otpauth";

describe("parseOtpAuth", () => {
  it("reads the issuer, the account and the key of a TOTP URI (as pyotp writes it)", () => {
    const uri = "otpauth://totp/Customer%20ID:sara%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Customer%20ID";
    expect(parseOtpAuth(uri)).toEqual({
      issuer: "Customer ID",
      account: "sara@example.com",
      secret: "JBSWY3DPEHPK3PXP",
      digits: 6,
      period: 30,
    });
  });

  it("takes the issuer from the label when the parameter is missing, and the digits and period given", () => {
    const uri = "otpauth://totp/Shop:omar?secret=jbswy3dpehpk3pxp&digits=8&period=60";
    expect(parseOtpAuth(uri)).toEqual({ issuer: "Shop", account: "omar", secret: "JBSWY3DPEHPK3PXP", digits: 8, period: 60 });
  });

  it("refuses what is not a TOTP URI with a key", () => {
    expect(parseOtpAuth("otpauth://hotp/Shop:omar?secret=JBSW&counter=1")).toBeNull();
    expect(parseOtpAuth("otpauth://totp/Shop:omar")).toBeNull();
    expect(parseOtpAuth("https://example.com/?secret=JBSW")).toBeNull();
    expect(parseOtpAuth("not a uri")).toBeNull();
  });
});

describe("groupKey", () => {
  it("writes the key in groups of four", () => {
    expect(groupKey("JBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP");
    expect(groupKey("ABCDEF")).toBe("ABCD EF");
  });
});
