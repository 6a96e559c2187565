// Single sign-on end to end: the real server (next start) against a small real OpenID Connect
// provider (tests/helpers/fake-idp.ts: discovery, JWKS, RS256 ID tokens with a nonce). The role
// comes from the groups claim at the first sign-in and at every later one; a disabled user is
// refused with the login page's own words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_DISABLED_CODE, ACCOUNT_DISABLED_MESSAGE } from "@/lib/auth/disabled";
import { disableUser, enableUser } from "@/lib/auth/users";
import { freeLoopbackPorts } from "@/scripts/lab/processes";
import { postAuth, startTestApp, type TTestApp, testDatabase, withDb } from "../../helpers/app";
import { startFakeIdp, type TIdpPerson } from "../../helpers/fake-idp";
import { startTestLab } from "../../helpers/lab";

/** Cookies as a browser keeps them across the redirects of one sign-in. */
function cookieJar() {
  const cookies = new Map<string, string>();
  return {
    take(res: Response) {
      for (const line of res.headers.getSetCookie()) {
        const pair = line.split(";")[0] ?? "";
        const at = pair.indexOf("=");
        const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
        if (value === "" || /max-age=0/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
    },
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
    session: () => [...cookies].find(([name]) => name.endsWith("session_token"))?.[1] ?? null,
  };
}

describe("OIDC sign-in", () => {
  const client = { clientId: "node-rescue", clientSecret: "test-client-secret" };
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let idp: Awaited<ReturnType<typeof startFakeIdp>>;
  let app: TTestApp;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  const person = (groups: string[]): TIdpPerson => ({ sub: "idp-user-1", email: "sso-ops@example.com", name: "SSO Ops", groups });
  const userRow = () =>
    withDb(database.url, (db) => db.user.findUnique({ where: { email: "sso-ops@example.com" }, include: { sessions: true } }));

  /** The login button's request, the IdP's redirect, and better-auth's callback, as a browser follows them. */
  async function signInWithOidc() {
    const jar = cookieJar();
    const start = await postAuth(app.url, "/api/auth/sign-in/social", {
      provider: "oidc",
      callbackURL: "/",
      errorCallbackURL: "/login?error=oidc",
    });
    expect(start.status, await start.clone().text()).toBe(200);
    jar.take(start);
    const { url } = (await start.json()) as { url: string };
    expect(url.startsWith(`${idp.issuer}/authorize?`)).toBe(true);
    const authorize = await fetch(url, { redirect: "manual" });
    expect(authorize.status).toBe(302);
    const callback = authorize.headers.get("location") ?? "";
    expect(callback.startsWith(`${app.url}/api/auth/callback/oidc?`)).toBe(true);
    const done = await fetch(callback, { headers: { Cookie: jar.header() }, redirect: "manual" });
    jar.take(done);
    return { status: done.status, location: done.headers.get("location") ?? "", cookie: jar.header(), session: jar.session() };
  }

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "empty", nodes: 1 });
    idp = await startFakeIdp(client);
    database = await testDatabase();
    const [port] = await freeLoopbackPorts(1);
    app = await startTestApp({
      kubeconfig: lab.kubeconfig,
      databaseUrl: database.url,
      port,
      env: {
        NODE_RESCUE_BASE_URL: `http://127.0.0.1:${port}`,
        NODE_RESCUE_OIDC_ISSUER: idp.issuer,
        NODE_RESCUE_OIDC_CLIENT_ID: client.clientId,
        NODE_RESCUE_OIDC_CLIENT_SECRET: client.clientSecret,
        NODE_RESCUE_OIDC_ROLE_MAP: "k8s-admins=admin,k8s-ops=operator",
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await idp?.stop();
    await lab?.down();
  });

  it("a first sign-in creates the user with the role their groups map to", async () => {
    idp.signInAs(person(["staff", "k8s-admins"]));
    const result = await signInWithOidc();
    expect(result.status).toBe(302);
    expect(new URL(result.location, app.url).pathname).toBe("/");
    expect(result.session).toBeTruthy();
    const me = await fetch(`${app.url}/api/nodes`, { headers: { Cookie: result.cookie } });
    expect(me.status).toBe(200);
    const row = await userRow();
    expect(row?.role).toBe("admin");
    const accounts = await withDb(database.url, (db) => db.account.findMany({ where: { userId: row?.id } }));
    expect(accounts.map((a) => [a.providerId, a.accountId])).toEqual([["oidc", "idp-user-1"]]);
  });

  it("every later sign-in applies the groups the IdP sends now", async () => {
    idp.signInAs(person(["k8s-ops"]));
    expect((await signInWithOidc()).status).toBe(302);
    expect((await userRow())?.role).toBe("operator");
    idp.signInAs(person([]));
    expect((await signInWithOidc()).status).toBe(302);
    expect((await userRow())?.role).toBe("viewer");
  });

  it("a disabled user is refused, and the login page says why", async () => {
    const audit = { actor: { kind: "cli" as const, name: "test" }, cluster: "test" };
    await withDb(database.url, (db) => disableUser({ db, email: "sso-ops@example.com", audit }));
    idp.signInAs(person(["k8s-admins"]));
    const refused = await signInWithOidc();
    expect(refused.status).toBe(302);
    const location = new URL(refused.location, app.url);
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.getAll("error").at(-1)).toBe(ACCOUNT_DISABLED_CODE);
    expect(refused.session).toBeNull();
    const row = await userRow();
    expect(row?.sessions).toEqual([]);
    expect(row?.role).toBe("viewer"); // refused before the groups were applied
    const page = await (await fetch(location)).text();
    expect(page).toContain(ACCOUNT_DISABLED_MESSAGE);

    await withDb(database.url, (db) => enableUser({ db, email: "sso-ops@example.com", audit }));
    const again = await signInWithOidc();
    expect(again.status).toBe(302);
    expect(again.session).toBeTruthy();
    expect((await userRow())?.role).toBe("admin");
  });
});
