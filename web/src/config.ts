/** The app's settings, read once from `config.json` next to the app (written from the stack's outputs:
 * `.local/outputs.json` locally, the CloudFormation outputs when deployed). Nothing here is hard-coded. */
export interface AppConfig {
  ApiUrl: string;
  Region: string;
  UserPoolId: string;
  UserPoolClientId: string;
  /** Cognito's endpoint; absent when deployed (then the region's public endpoint). */
  CognitoEndpoint?: string | null;
}

let loaded: AppConfig | undefined;

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<AppConfig> {
  const response = await fetcher("/config.json", { cache: "no-store" });
  if (!response.ok) {
    throw new Error(`config.json: ${response.status}`);
  }
  const config = (await response.json()) as AppConfig;
  for (const key of ["ApiUrl", "Region", "UserPoolId", "UserPoolClientId"] as const) {
    if (!config[key]) {
      throw new Error(`config.json lacks ${key}`);
    }
  }
  loaded = { ...config, ApiUrl: config.ApiUrl.replace(/\/+$/, "") };
  return loaded;
}

export function config(): AppConfig {
  if (!loaded) {
    throw new Error("config.json is not loaded yet");
  }
  return loaded;
}

export function cognitoEndpoint(settings: AppConfig): string {
  return settings.CognitoEndpoint || `https://cognito-idp.${settings.Region}.amazonaws.com/`;
}
