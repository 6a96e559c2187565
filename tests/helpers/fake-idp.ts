// A minimal OpenID Connect provider on 127.0.0.1 for tests: discovery, JWKS, an authorize
// endpoint that signs in whoever the test names (no login page), and a token endpoint that issues
// an RS256 ID token with that person's claims, the client's audience and the request's nonce.
// Real protocol, real signatures: better-auth verifies them as it would a real IdP's.
import { createSign, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type TIdpPerson = { sub: string; email: string; name: string } & Record<string, unknown>;

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

const readBody = async (req: IncomingMessage) => {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
};

export async function startFakeIdp(opts: { clientId: string; clientSecret: string }) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" };
  const sign = (claims: Record<string, unknown>) => {
    const data = `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: jwk.kid }))}.${b64url(JSON.stringify(claims))}`;
    return `${data}.${createSign("RSA-SHA256").update(data).sign(privateKey).toString("base64url")}`;
  };
  let person: TIdpPerson | null = null;
  const codes = new Map<string, { person: TIdpPerson; nonce: string | null }>();
  let issuer = "";

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (url.pathname === "/jwks") return json(200, { keys: [jwk] });
    if (url.pathname === "/authorize") {
      const redirect = url.searchParams.get("redirect_uri");
      if (!person || !redirect || url.searchParams.get("client_id") !== opts.clientId) return json(400, { error: "invalid_request" });
      const code = randomUUID();
      codes.set(code, { person, nonce: url.searchParams.get("nonce") });
      const back = new URL(redirect);
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === "/token" && req.method === "POST") {
      const form = await readBody(req);
      const basic = Buffer.from(`${opts.clientId}:${opts.clientSecret}`).toString("base64");
      const authenticated =
        req.headers.authorization === `Basic ${basic}` ||
        (form.get("client_id") === opts.clientId && form.get("client_secret") === opts.clientSecret);
      const grant = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (!authenticated || !grant) return json(400, { error: "invalid_grant" });
      const now = Math.floor(Date.now() / 1000);
      const idToken = sign({
        iss: issuer,
        aud: opts.clientId,
        iat: now,
        exp: now + 300,
        email_verified: true,
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
        ...grant.person,
      });
      return json(200, { access_token: randomUUID(), token_type: "Bearer", expires_in: 300, id_token: idToken });
    }
    json(404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    /** Who the next authorization signs in, with which claims (e.g. groups). */
    signInAs: (p: TIdpPerson) => {
      person = p;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
