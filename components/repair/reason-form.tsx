"use client";

// A person's answer to auto-repair (approve, reject, pause, reset, clear): a reason and one or
// more buttons. The server checks the reason too; the form only keeps a button off until one is typed.

import { useState } from "react";

export const repairButton =
  "rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset ring-zinc-300 hover:bg-zinc-100 disabled:opacity-50 dark:ring-zinc-700 dark:hover:bg-zinc-800";

export type TReasonChoice = { label: string; testId: string; run: (reason: string) => Promise<string> };

/**
 * `onNote`: where the answer's sentence goes when the form may vanish with it (an approved
 * proposal is no longer one); without it, the form shows the sentence itself.
 */
export function ReasonForm({
  choices,
  placeholder,
  testId,
  onNote,
}: {
  choices: TReasonChoice[];
  placeholder: string;
  testId: string;
  onNote?: (note: string) => void;
}) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [own, setOwn] = useState<string | null>(null);
  const note = onNote ? null : own;
  const say = onNote ?? setOwn;
  const answer = async (choice: TReasonChoice) => {
    setBusy(true);
    try {
      say(await choice.run(reason.trim()));
      setReason("");
    } catch (err) {
      say(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="space-y-1.5" data-testid={testId} onSubmit={(e) => e.preventDefault()}>
      <div className="flex flex-wrap items-center gap-2">
        <input
          aria-label="Reason"
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-950"
          placeholder={placeholder}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid={`${testId}-reason`}
        />
        {choices.map((c) => (
          <button
            key={c.testId}
            type="button"
            className={repairButton}
            disabled={busy || reason.trim().length < 5}
            onClick={() => void answer(c)}
            data-testid={c.testId}
          >
            {c.label}
          </button>
        ))}
      </div>
      {note ? (
        <p className="text-xs" role="status" data-testid={`${testId}-note`}>
          {note}
        </p>
      ) : null}
    </form>
  );
}
