// Every API route handler goes through `apiRoute`: parse -> (authorize, issue 4) -> call lib ->
// JSON, with errors mapped in one place.
import { handleApiError } from "./errors";

type TContext<P> = { params: Promise<P> };

export function apiRoute<P = Record<string, never>>(handler: (req: Request, ctx: { params: P }) => Promise<Response> | Response) {
  return async (req: Request, ctx: TContext<P>) => {
    try {
      return await handler(req, { params: await ctx.params });
    } catch (err) {
      return handleApiError(err);
    }
  };
}

/** JSON that must never be cached by a browser or proxy: it is a live view. */
export const liveJson = (body: unknown, init: ResponseInit = {}) =>
  Response.json(body, { ...init, headers: { "Cache-Control": "no-store", ...init.headers } });
