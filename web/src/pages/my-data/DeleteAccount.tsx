import { useId, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorState, Loading } from "../../components/states";
import { CONFIRMATION_WORDS, confirms, farewellAfter } from "./confirmation";

/** "Delete my account": a dialog in which the customer types the confirmation word, then the DELETE;
 * its answer (202, or 404: already erased) signs the customer out to the goodbye state. */
export function DeleteAccount() {
  const { t } = useTranslation("my-data");
  const { api, session, language, leave } = useApp();
  const customerId = session.customerId;
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const inputId = useId();
  const word = CONFIRMATION_WORDS[language];
  const erase = useMutation({
    mutationFn: () => data(api.DELETE("/customers/{customerId}", { params: { path: { customerId } } })),
    onSuccess: () => leave("erased"),
    onError: (error) => {
      const farewell = farewellAfter(error);
      if (farewell) {
        leave(farewell);
      }
    },
  });
  const close = () => {
    setOpen(false);
    setTyped("");
    erase.reset();
  };
  return (
    <section className="card danger-zone" aria-labelledby="delete-title" data-testid="delete-account">
      <h2 id="delete-title">{t("delete.title")}</h2>
      <p>{t("delete.text")}</p>
      <div className="actions start">
        <button type="button" className="button danger" onClick={() => setOpen(true)}>
          {t("delete.action")}
        </button>
      </div>
      {open && (
        <ConfirmDialog
          title={t("delete.dialogTitle")}
          confirmLabel={t("delete.confirm")}
          confirmClassName="danger"
          canConfirm={confirms(typed, word)}
          busy={erase.isPending}
          onConfirm={() => erase.mutate()}
          onCancel={close}
        >
          <p>{t("delete.dialogText")}</p>
          <div className="form">
            <label htmlFor={inputId}>
              {t("delete.typeWord", { word })}
              <input
                id={inputId}
                autoFocus
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === "Enter" && confirms(typed, word) && !erase.isPending) {
                    erase.mutate();
                  }
                }}
                data-testid="confirmation-word"
              />
            </label>
          </div>
          {erase.isPending && <Loading label={t("delete.deleting")} />}
          {erase.isError && !farewellAfter(erase.error) && <ErrorState error={erase.error} />}
        </ConfirmDialog>
      )}
    </section>
  );
}
