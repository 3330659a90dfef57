/** The API client, generated: `schema.d.ts` is made from ../openapi.json by `npm run generate` (every
 * build runs it), so a contract change breaks `tsc`, not the user. Every request carries the ID token and
 * the app's language (`Accept-Language`: the API answers its texts and problems in it). */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Api = ReturnType<typeof createApi>;

/** An RFC 9457 problem the API answered (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(detail || title);
  }
}

export function createApi(
  baseUrl: string,
  token: () => string | undefined | Promise<string | undefined>,
  language: () => string,
) {
  const client = createClient<paths>({ baseUrl });
  const headers: Middleware = {
    async onRequest({ request }) {
      const bearer = await token();
      if (bearer) {
        request.headers.set("Authorization", `Bearer ${bearer}`);
      }
      request.headers.set("Accept-Language", language());
      return request;
    },
  };
  client.use(headers);
  return client;
}

/** A request's data, or its problem thrown as an ApiError (for TanStack Query's error state). */
export async function data<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await request;
  } catch (failure) {
    throw new ApiError(0, "network", String(failure));
  }
  if (answer.error !== undefined || !answer.response.ok) {
    const problem = (answer.error ?? {}) as Partial<Schemas["Problem"]>;
    throw new ApiError(
      answer.response.status,
      problem.type ?? "about:blank",
      problem.title ?? answer.response.statusText,
      problem.detail,
    );
  }
  return answer.data as T;
}

/** A key for a POST that must take effect once, however often it is retried. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
