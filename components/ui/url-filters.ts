"use client";
// Filters kept in the page's URL (a filtered view is a link to share): the known, non-empty keys
// of a query string in a stable order (the query key), and the form that writes them back.
import { usePathname, useRouter } from "next/navigation";
import { fromLocalInput, useIsClient } from "./local-time";

export function filterQuery(params: URLSearchParams, keys: readonly string[]): string {
  const out = new URLSearchParams();
  for (const key of keys) {
    const value = params.get(key)?.trim();
    if (value) out.set(key, value);
  }
  return out.toString();
}

/**
 * A filter form's props and state: `formProps` goes on the <form>; `current` holds the filters
 * shown; `clear` drops them all. `from`/`to` inputs are local times turned into ISO; `read` can map another field
 * (a checkbox) to its query value.
 */
export function useUrlFilterForm(options: {
  filters: string;
  keys: readonly string[];
  read?: (key: string, data: FormData) => string | null;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const isClient = useIsClient();
  const apply = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const key of options.keys) {
      const raw = options.read?.(key, data) ?? String(data.get(key) ?? "").trim();
      const value = key === "from" || key === "to" ? fromLocalInput(raw) : raw;
      if (value) next.set(key, value);
    }
    const qs = next.toString();
    router.push(qs ? `${pathname}?${qs}` : pathname);
  };
  return {
    current: new URLSearchParams(options.filters),
    isClient,
    clear: () => router.push(pathname),
    formProps: {
      // A new key when the URL or hydration changes: the inputs' defaultValues are read again.
      key: `${options.filters}|${isClient}`,
      className: "flex flex-wrap items-end gap-3",
      onSubmit: (event: React.FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        apply(event.currentTarget);
      },
    },
  };
}
