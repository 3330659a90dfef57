import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Farewell } from "./confirmation";

/** What a customer sees once their account is erased (or found erased): they are signed out. */
export function Goodbye({ farewell, onDone }: { farewell: Farewell; onDone: () => void }) {
  const { t } = useTranslation("my-data");
  const { t: common } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="signin">
      <header className="signin-header">
        <p className="app-name">{common("appName")}</p>
      </header>
      <main id="main">
        <section className="card goodbye" data-testid="goodbye" data-farewell={farewell}>
          <h1 ref={heading} tabIndex={-1}>
            {t(`goodbye.${farewell}Title`)}
          </h1>
          <p>{t(`goodbye.${farewell}`)}</p>
          <div className="actions start">
            <button type="button" className="button primary" onClick={onDone}>
              {t("goodbye.back")}
            </button>
          </div>
        </section>
      </main>
    </div>
  );
}
