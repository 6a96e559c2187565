"use client";

// Who is signed in, for client components: fed by the root layout (server) from currentActor().
// Only for showing and hiding things — every route handler and server action checks again.
import { createContext, useContext } from "react";
import { can, type TPermission } from "@/lib/auth/permissions";
import type { TActor } from "@/lib/auth/roles";

/** What the browser may know about the actor (no address or user agent). */
export type TClientActor = Pick<TActor, "kind" | "name" | "role">;

const ActorContext = createContext<TClientActor | null>(null);

export function ActorProvider({ actor, children }: { actor: TClientActor | null; children: React.ReactNode }) {
  return <ActorContext.Provider value={actor}>{children}</ActorContext.Provider>;
}

/** The signed-in actor, or null (on the login page). */
export function useActor(): TClientActor | null {
  return useContext(ActorContext);
}

/** Whether the signed-in actor's role allows `permission` (false when signed out). */
export function useCan(permission: TPermission): boolean {
  const actor = useActor();
  return actor !== null && can(actor.role, permission);
}
