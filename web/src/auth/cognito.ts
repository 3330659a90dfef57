/** Sign-in against the stack's Cognito user pool: USER_PASSWORD_AUTH through Cognito's public JSON API
 * (InitiateAuth needs no AWS credentials, only the app client id). */
import { cognitoEndpoint, type AppConfig } from "../config";

export interface Session {
  idToken: string;
  refreshToken?: string;
  customerId: string;
  email: string;
  groups: string[];
  expiresAt: number;
}

export class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Claims {
  sub: string;
  email?: string;
  "cognito:username"?: string;
  "cognito:groups"?: string[];
  exp: number;
}

/** The ID token's claims (the signature is the API's to check, not the app's). */
export function decodeClaims(token: string): Claims {
  const payload = token.split(".")[1];
  if (!payload) {
    throw new Error("not a JWT");
  }
  const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Claims;
}

export function sessionFromToken(idToken: string, refreshToken?: string): Session {
  const claims = decodeClaims(idToken);
  return {
    idToken,
    refreshToken,
    customerId: claims.sub,
    email: claims.email ?? claims["cognito:username"] ?? "",
    groups: claims["cognito:groups"] ?? [],
    expiresAt: claims.exp * 1000,
  };
}

async function cognito(settings: AppConfig, action: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(cognitoEndpoint(settings), {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const code = String(answer.__type ?? answer.code ?? "UnknownError").split("#").pop() ?? "UnknownError";
    throw new SignInError(code, String(answer.message ?? answer.Message ?? code));
  }
  return answer;
}

export async function signIn(settings: AppConfig, email: string, password: string): Promise<Session> {
  const answer = await cognito(settings, "InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: settings.UserPoolClientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  const result = answer.AuthenticationResult as { IdToken?: string; RefreshToken?: string } | undefined;
  if (!result?.IdToken) {
    // a challenge (new password, MFA) is not something this app answers yet
    throw new SignInError(String(answer.ChallengeName ?? "Challenge"), "sign-in needs a step this app does not support");
  }
  return sessionFromToken(result.IdToken, result.RefreshToken);
}

/** A new ID token from the refresh token (Cognito keeps the refresh token; the answer has none). */
export async function refresh(settings: AppConfig, session: Session): Promise<Session> {
  if (!session.refreshToken) {
    throw new SignInError("NoRefreshToken", "the session cannot be renewed");
  }
  const answer = await cognito(settings, "InitiateAuth", {
    AuthFlow: "REFRESH_TOKEN_AUTH",
    ClientId: settings.UserPoolClientId,
    AuthParameters: { REFRESH_TOKEN: session.refreshToken },
  });
  const result = answer.AuthenticationResult as { IdToken?: string; RefreshToken?: string } | undefined;
  if (!result?.IdToken) {
    throw new SignInError("RefreshFailed", "the session cannot be renewed");
  }
  return sessionFromToken(result.IdToken, result.RefreshToken ?? session.refreshToken);
}

/** Whether the ID token is expired or about to be (a minute's margin for the request in flight). */
export function needsRefresh(session: Session, now: number = Date.now()): boolean {
  return session.expiresAt - now < 60_000;
}
