"use client";

// Policies are JSON documents kept in Git, so the honest editor is the document itself.

import { useState } from "react";
import { send } from "@/components/live/send-json";
import { type TPolicy, ZPolicy } from "@/lib/policies/schema";
import { DryRun } from "./dry-run";

const pretty = (policy: TPolicy) => JSON.stringify(policy, null, 2);
/** A new policy's starting point: every default, as the server would fill them in. */
const template = () => pretty(ZPolicy.parse({ name: "new-policy" }));

/**
 * The JSON editor for a new policy or a stored one (`id`): the whole document, as kept in Git.
 * The server validates and answers with the stored document, or with one sentence naming each
 * wrong field, shown under the text. The dry run replays the text as it stands, saved or not.
 */
export function PolicyEditor({ id, policy, onDone }: { id?: number; policy?: TPolicy; onDone: (message: string) => void }) {
  const initial = policy ? pretty(policy) : template();
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = id !== undefined;

  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      setError(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const stored = await send<TPolicy>(editing ? "PUT" : "POST", editing ? `/api/policies/${id}` : "/api/policies", body);
      setText(editing ? pretty(stored) : template());
      onDone(editing ? `Saved "${stored.name}"` : `Created "${stored.name}"`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-2 p-4" data-testid={editing ? "policy-edit-form" : "policy-form"}>
      <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
        {editing ? "The whole document (PUT replaces it)" : "Policy document (JSON; fields left out get their defaults)"}
        <textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={Math.min(40, Math.max(12, text.split("\n").length + 1))}
          spellCheck={false}
          className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
          data-testid="policy-json"
        />
      </label>
      {error ? (
        <p role="alert" className="text-sm break-words text-red-700 dark:text-red-400" data-testid="policy-error">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900"
          data-testid={editing ? "policy-save" : "policy-create"}
        >
          {editing ? "Save policy" : "Create policy"}
        </button>
        <button
          type="button"
          onClick={() => {
            setText(initial);
            setError(null);
          }}
          className="rounded-md px-3 py-1.5 text-sm ring-1 ring-inset ring-zinc-300 hover:bg-zinc-100 dark:ring-zinc-700 dark:hover:bg-zinc-800"
        >
          {editing ? "Revert" : "Reset to defaults"}
        </button>
      </div>
      <DryRun
        testId="policy-editor-dry-run"
        document={() => {
          try {
            return JSON.parse(text);
          } catch {
            return text;
          }
        }}
      />
    </form>
  );
}
