import { useEffect } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { pages } from "../routes";
import { useApp } from "./context";
import { LanguageSwitch } from "./LanguageSwitch";

const STAFF_GROUPS = ["agents", "admins"];

/** The app's frame: a header (language, digits, sign-out), the page, and the navigation (a bar at the
 * bottom on a phone, a side column on a wide screen). */
export function Shell() {
  const { t } = useTranslation();
  const { session, profile, language, setLanguage, arabicDigits, setArabicDigits, signOut } = useApp();
  const location = useLocation();
  const isStaff = session.groups.some((group) => STAFF_GROUPS.includes(group));
  const visible = pages.filter(
    (page) =>
      page.audience === "customer" || (isStaff && (!page.groups || page.groups.some((group) => session.groups.includes(group)))),
  );
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
      <nav className="nav" aria-label={t("mainNavigation")}>
        {visible.map((page) => (
          <NavLink key={page.path} to={`/${page.path}`} className="nav-link">
            <span className="nav-icon" aria-hidden="true">
              {page.icon}
            </span>
            <span className="nav-label">{t("title", { ns: page.namespace })}</span>
          </NavLink>
        ))}
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
