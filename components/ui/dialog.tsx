"use client";

import * as Dialog from "@radix-ui/react-dialog";

/**
 * A modal dialog on Radix's primitive: focus is trapped inside and returns to the opener (or
 * where `returnFocus` says) on close, Escape and the close button close it, the page behind is
 * hidden from screen readers, and the dialog is named by its title and described by its
 * description. A click outside does not close it: a half-typed reason is not lost by accident.
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  returnFocus,
  children,
  ...data
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: React.ReactNode;
  description: React.ReactNode;
  /** The element to focus after closing; Radix's own choice (a Dialog.Trigger) when absent. */
  returnFocus?: () => HTMLElement | null;
  children: React.ReactNode;
} & { [key: `data-${string}`]: string | undefined }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 overflow-y-auto bg-black/40 p-4 pt-16">
          <Dialog.Content
            aria-modal="true"
            onInteractOutside={(e) => e.preventDefault()}
            onCloseAutoFocus={(e) => {
              const target = returnFocus?.();
              if (!target) return;
              e.preventDefault();
              target.focus();
            }}
            className="mx-auto w-full max-w-3xl rounded-lg border border-zinc-200 bg-white shadow-xl outline-none dark:border-zinc-700 dark:bg-zinc-900"
            {...data}
          >
            <header className="flex items-start justify-between gap-4 border-b border-zinc-200 px-5 py-3 dark:border-zinc-800">
              <div>
                <Dialog.Title className="font-semibold">{title}</Dialog.Title>
                <Dialog.Description className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{description}</Dialog.Description>
              </div>
              <Dialog.Close className="rounded px-2 py-1 text-sm text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-zinc-800 dark:hover:text-zinc-100">
                Close
              </Dialog.Close>
            </header>
            {children}
          </Dialog.Content>
        </Dialog.Overlay>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
