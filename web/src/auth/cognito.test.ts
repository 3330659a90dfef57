import { afterEach, describe, expect, it, vi } from "vitest";
import { needsRefresh, refresh, sessionFromToken, signIn, SignInError } from "./cognito";

const SETTINGS = { ApiUrl: "http://api", Region: "me-south-1", UserPoolId: "pool", UserPoolClientId: "client-1" };

function token(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${encode({ alg: "RS256" })}.${encode(claims)}.signature`;
}

const ID_TOKEN = token({ sub: "customer-1", email: "sara@example.com", "cognito:groups": ["agents"], exp: 2_000_000_000 });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("sign-in", () => {
  it("is Cognito's USER_PASSWORD_AUTH at the region's endpoint, and the session comes from the ID token", async () => {
    const fetch = vi.fn(async () => Response.json({ AuthenticationResult: { IdToken: ID_TOKEN, RefreshToken: "refresh-1" } }));
    vi.stubGlobal("fetch", fetch);
    const session = await signIn(SETTINGS, "sara@example.com", "secret");
    expect(session).toMatchObject({ customerId: "customer-1", email: "sara@example.com", groups: ["agents"], refreshToken: "refresh-1" });
    expect(session.expiresAt).toBe(2_000_000_000_000);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("https://cognito-idp.me-south-1.amazonaws.com/");
    expect((init.headers as Record<string, string>)["X-Amz-Target"]).toBe("AWSCognitoIdentityProviderService.InitiateAuth");
    expect(JSON.parse(String(init.body))).toEqual({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: "client-1",
      AuthParameters: { USERNAME: "sara@example.com", PASSWORD: "secret" },
    });
  });

  it("names Cognito's error", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ __type: "NotAuthorizedException", message: "Incorrect username or password." }, { status: 400 })));
    const failure = await signIn({ ...SETTINGS, CognitoEndpoint: "http://127.0.0.1:5000" }, "sara@example.com", "wrong").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SignInError);
    expect((failure as SignInError).code).toBe("NotAuthorizedException");
  });
});

describe("renewal", () => {
  it("is due a minute before the ID token expires", () => {
    const session = sessionFromToken(ID_TOKEN);
    expect(needsRefresh(session, session.expiresAt - 61_000)).toBe(false);
    expect(needsRefresh(session, session.expiresAt - 59_000)).toBe(true);
  });

  it("asks for REFRESH_TOKEN_AUTH and keeps the refresh token Cognito does not send again", async () => {
    const fetch = vi.fn(async () => Response.json({ AuthenticationResult: { IdToken: ID_TOKEN } }));
    vi.stubGlobal("fetch", fetch);
    const renewed = await refresh(SETTINGS, sessionFromToken(ID_TOKEN, "refresh-1"));
    expect(renewed.refreshToken).toBe("refresh-1");
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(String(init.body))).toEqual({
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: "client-1",
      AuthParameters: { REFRESH_TOKEN: "refresh-1" },
    });
  });
});
