import { useCallback, useEffect, useId, useRef, useState } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { Icon } from "../components/icons";
import type { PageDefinition } from "../pages/types";
import { pages } from "../routes";
import { useApp } from "./context";
import { LanguageSwitch } from "./LanguageSwitch";
import { isWithin, navigationFor, useMediaQuery, WIDE } from "./navigation";

/** The app's frame: a header (language, digits, sign-out), the page, and the navigation: a side column
 * with every link on a wide screen; on a phone a bottom bar with the first links and "More", a
 * disclosure button that opens a sheet with the others (Escape or a tap outside closes it). */
export function Shell() {
  const { t } = useTranslation();
  const { session, profile, language, setLanguage, arabicDigits, setArabicDigits, signOut } = useApp();
  const location = useLocation();
  const navigation = navigationFor(pages, session.groups);
  const wide = useMediaQuery(WIDE);
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [location.pathname]);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t("skipToContent")}
      </a>
      <header className="topbar">
        <span className="brand">{t("appName")}</span>
        <div className="topbar-actions">
          <LanguageSwitch language={language} onChange={setLanguage} />
          {language === "ar" && (
            <label className="digits">
              <input type="checkbox" checked={arabicDigits} onChange={(e) => setArabicDigits(e.target.checked)} />
              {t("arabicDigits")}
            </label>
          )}
          <button type="button" className="button ghost" onClick={signOut} title={t("signedInAs", { email: profile.email })}>
            {t("signOut")}
          </button>
        </div>
      </header>
      {wide ? (
        <nav className="nav" aria-label={t("mainNavigation")}>
          <ul className="nav-list">
            {navigation.links.map((page) => (
              <li key={page.path}>
                <PageLink page={page} label={t("title", { ns: page.namespace })} />
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        <PhoneNavigation
          bar={navigation.bar}
          more={navigation.more}
          label={(page) => t("title", { ns: page.namespace })}
          moreLabel={t("more")}
          navigationLabel={t("mainNavigation")}
          key={location.pathname}
        />
      )}
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function PageLink({ page, label, onClick }: { page: PageDefinition; label: string; onClick?: () => void }) {
  return (
    <NavLink to={`/${page.path}`} className="nav-link" onClick={onClick}>
      <span className="nav-icon" aria-hidden="true">
        {page.icon}
      </span>
      <span className="nav-label">{label}</span>
    </NavLink>
  );
}

/** The phone's bottom bar. Keyed by the location: a new page starts with the sheet closed. The texts
 * come from the shell (one `useTranslation` for the whole frame). */
function PhoneNavigation({
  bar,
  more,
  label,
  moreLabel,
  navigationLabel,
}: {
  bar: PageDefinition[];
  more: PageDefinition[];
  label: (page: PageDefinition) => string;
  moreLabel: string;
  navigationLabel: string;
}) {
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const sheet = useRef<HTMLUListElement>(null);
  const sheetId = useId();
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) {
      button.current?.focus();
    }
  }, []);
  useEffect(() => {
    if (!open) {
      return;
    }
    sheet.current?.querySelector<HTMLElement>("a")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close(true);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open, close]);
  const inMore = more.some((page) => isWithin(page, location.pathname));
  return (
    <>
      <nav className="nav" aria-label={navigationLabel}>
        <ul className="nav-list">
          {bar.map((page) => (
            <li key={page.path}>
              <PageLink page={page} label={label(page)} />
            </li>
          ))}
          {more.length > 0 && (
            <li>
              <button
                ref={button}
                type="button"
                className={inMore ? "nav-link nav-more active" : "nav-link nav-more"}
                aria-expanded={open}
                aria-controls={sheetId}
                onClick={() => setOpen((was) => !was)}
                data-testid="nav-more"
              >
                <span className="nav-icon" aria-hidden="true">
                  <MoreIcon />
                </span>
                <span className="nav-label">{moreLabel}</span>
              </button>
            </li>
          )}
        </ul>
        {more.length > 0 && (
          <ul id={sheetId} ref={sheet} className="nav-sheet" hidden={!open}>
            {more.map((page) => (
              <li key={page.path}>
                <PageLink page={page} label={label(page)} onClick={() => close(false)} />
              </li>
            ))}
          </ul>
        )}
      </nav>
      {open && <div className="nav-scrim" aria-hidden="true" onClick={() => close(true)} />}
    </>
  );
}

const MoreIcon = () => (
  <Icon>
    <circle cx="5" cy="12" r="1.5" />
    <circle cx="12" cy="12" r="1.5" />
    <circle cx="19" cy="12" r="1.5" />
  </Icon>
);
