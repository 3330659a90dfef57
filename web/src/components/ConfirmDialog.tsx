import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** A modal confirmation: focus moves into it, Escape cancels. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel,
  busy = false,
  canConfirm = true,
  confirmClassName = "primary",
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  /** The dismiss button's label ("Cancel" by default: say "Keep it" when the action is itself a cancellation). */
  cancelLabel?: string;
  busy?: boolean;
  /** False keeps the confirm button disabled (e.g. until a confirmation word is typed). */
  canConfirm?: boolean;
  /** The confirm button's style: "primary", or "danger" for what cannot be undone. */
  confirmClassName?: "primary" | "danger";
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmRef.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onCancel();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div className="backdrop">
      <div className="dialog card" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        <div>{children}</div>
        <div className="actions">
          <button type="button" className="button secondary" onClick={onCancel} disabled={busy}>
            {cancelLabel ?? t("cancel")}
          </button>
          <button type="button" className={`button ${confirmClassName}`} ref={confirmRef} onClick={onConfirm} disabled={busy || !canConfirm}>
            {confirmLabel ?? t("confirm")}
          </button>
        </div>
      </div>
    </div>
  );
}
