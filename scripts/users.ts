// Accounts and API tokens, from the command line (there is no sign-up page):
//
//   npm run users -- create --email ops@example.com --role operator [--name "Ops"]
//        password from stdin when piped (`echo "$PW" | npm run users -- create …`), else generated and printed
//   npm run users -- set-role --email ops@example.com --role admin
//   npm run users -- disable --email ops@example.com    # ends their sessions now, refuses sign-in
//   npm run users -- enable --email ops@example.com
//   npm run users -- delete --email ops@example.com     # sessions and accounts go too; audit rows stay
//   npm run users -- token --name ci-readonly --role viewer      # the token is the LAST line of stdout
//   npm run users -- revoke-token --name ci-readonly
//   npm run users -- list
//
// Uses DATABASE_URL like the app (default data/node-rescue.db) and applies pending migrations first.
// Changes to a person (set-role, disable, enable, delete) are written to the audit log as done by
// "cli" and the OS user running this, under NODE_RESCUE_CLUSTER_NAME (where the dashboard shows them).
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { ROLES } from "../lib/auth/roles";
import {
  createApiToken,
  createUser,
  deleteUser,
  disableUser,
  enableUser,
  listApiTokens,
  listUsers,
  revokeApiToken,
  setUserRole,
  type TUserAudit,
  UserInputError,
} from "../lib/auth/users";
import { createDb, type TDb } from "../lib/db";
import { env } from "../lib/env";
import { migrateDatabase } from "./migrate";

const USAGE = `usage: npm run users -- <command> [options]
  create       --email E --role R [--name N]   password from stdin when piped, else generated
  set-role     --email E --role R
  disable      --email E                        ends the user's sessions now and refuses their sign-ins
  enable       --email E
  delete       --email E                        the audit log keeps the email
  token        --name N --role R               prints the token as the last line
  revoke-token --name N
  list
roles: ${ROLES.join(", ")}`;

/** The password piped on stdin (first line), or undefined at a terminal / with nothing piped. */
function passwordFromStdin(): string | undefined {
  if (process.stdin.isTTY) return undefined;
  let text = "";
  try {
    text = readFileSync(0, "utf8");
  } catch {
    return undefined;
  }
  const line = text.split(/\r?\n/)[0] ?? "";
  return line === "" ? undefined : line;
}

function need(values: Record<string, string | undefined>, key: string): string {
  const value = values[key];
  if (!value) throw new UserInputError(`--${key} is required\n\n${USAGE}`);
  return value;
}

const fmt = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, "Z") : "—");

/** The OS account running the command (userInfo throws without a passwd entry, e.g. some containers). */
function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || process.env.LOGNAME || `uid ${process.getuid?.() ?? "?"}`;
  }
}

const cliAudit = (): TUserAudit => ({ actor: { kind: "cli", name: osUserName() }, cluster: env().NODE_RESCUE_CLUSTER_NAME });

async function run(db: TDb, command: string, values: Record<string, string | undefined>) {
  switch (command) {
    case "create": {
      const piped = passwordFromStdin();
      const { user, password } = await createUser({
        db,
        email: need(values, "email"),
        role: need(values, "role"),
        name: values.name,
        password: piped,
      });
      console.log(`created ${user.email} (${user.role})`);
      if (!piped) console.log(`password: ${password}`);
      return;
    }
    case "set-role": {
      const user = await setUserRole({ db, email: need(values, "email"), role: need(values, "role"), audit: cliAudit() });
      console.log(`${user.email} is now ${user.role}`);
      return;
    }
    case "disable": {
      const { user, sessionsEnded } = await disableUser({ db, email: need(values, "email"), audit: cliAudit() });
      console.log(`disabled ${user.email} (since ${fmt(user.disabledAt)}): ${sessionsEnded} session(s) ended, sign-in refused`);
      return;
    }
    case "enable": {
      const user = await enableUser({ db, email: need(values, "email"), audit: cliAudit() });
      console.log(`enabled ${user.email}: they can sign in again`);
      return;
    }
    case "delete": {
      const user = await deleteUser({ db, email: need(values, "email"), audit: cliAudit() });
      console.log(`deleted ${user.email} (${user.role}) with their sessions and accounts`);
      return;
    }
    case "token": {
      const { token, record } = await createApiToken({ db, name: need(values, "name"), role: need(values, "role") });
      console.log(`created API token ${record.name} (${record.role}); it is shown only now. Use it as "Authorization: Bearer <token>":`);
      console.log(token);
      return;
    }
    case "revoke-token": {
      const record = await revokeApiToken({ db, name: need(values, "name") });
      console.log(`revoked ${record.name} (at ${fmt(record.revokedAt)})`);
      return;
    }
    case "list": {
      const users = await listUsers({ db });
      console.log(`users (${users.length}):`);
      for (const u of users) {
        const state = u.disabledAt ? `, DISABLED since ${fmt(u.disabledAt)}` : "";
        console.log(`  ${u.email.padEnd(40)} ${u.role.padEnd(9)} created ${fmt(u.createdAt)}${state}`);
      }
      const tokens = await listApiTokens({ db });
      console.log(`API tokens (${tokens.length}):`);
      for (const t of tokens) {
        const state = t.revokedAt ? `revoked ${fmt(t.revokedAt)}` : `last used ${fmt(t.lastUsedAt)}`;
        console.log(`  ${t.name.padEnd(40)} ${t.role.padEnd(9)} created ${fmt(t.createdAt)}, ${state}`);
      }
      return;
    }
    default:
      throw new UserInputError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const command = positionals[0];
  if (!command || values.help) {
    console.log(USAGE);
    process.exit(command || values.help ? 0 : 2);
  }
  const { url } = await migrateDatabase({ quiet: true });
  const db = createDb(url);
  try {
    await run(db, command, { email: values.email, role: values.role, name: values.name });
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  if (err instanceof UserInputError || (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))) {
    console.error(`users: ${err.message}`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
