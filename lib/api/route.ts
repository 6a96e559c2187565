// Every API route handler goes through `apiRoute`: authenticate + authorize (lib/auth/guard) ->
// parse -> call lib -> JSON, with errors mapped in one place. A permission is required: there
// is no way to declare an unguarded JSON route with it (/api/health, public on purpose, and the
// SSE stream are plain handlers that call the guard themselves).

import { requirePermission } from "@/lib/auth/guard";
import type { TPermission } from "@/lib/auth/permissions";
import type { TActor } from "@/lib/auth/roles";
import { handleApiError } from "./errors";

type TContext<P> = { params: Promise<P> };

export type TApiRouteOptions = { permission: TPermission };

export function apiRoute<P = Record<string, never>>(
  options: TApiRouteOptions,
  handler: (req: Request, ctx: { params: P; actor: TActor }) => Promise<Response> | Response,
) {
  return async (req: Request, ctx: TContext<P>) => {
    try {
      const actor = await requirePermission(req, options.permission);
      return await handler(req, { params: await ctx.params, actor });
    } catch (err) {
      return handleApiError(err);
    }
  };
}

/** JSON that must never be cached by a browser or proxy: it is a live view. */
export const liveJson = (body: unknown, init: ResponseInit = {}) =>
  Response.json(body, { ...init, headers: { "Cache-Control": "no-store", ...init.headers } });
