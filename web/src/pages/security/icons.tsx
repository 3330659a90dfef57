/** The icons of the security and staff pages (drawn like components/icons.tsx: currentColor, hidden). */
import type { ReactNode } from "react";

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const ShieldIcon = () => (
  <Icon>
    <path d="M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z" />
    <path d="M9 12l2 2 4-4" />
  </Icon>
);
export const SearchShieldIcon = () => (
  <Icon>
    <path d="M11 3l7 2.6V10c0 1-.2 1.9-.5 2.8" />
    <path d="M11 3L4 5.6V10c0 4 2.9 7.4 7 8" />
    <circle cx="16" cy="16" r="3" />
    <path d="M18.2 18.2L21 21" />
  </Icon>
);
export const PercentIcon = () => (
  <Icon>
    <path d="M19 5L5 19" />
    <circle cx="7" cy="7" r="2.5" />
    <circle cx="17" cy="17" r="2.5" />
  </Icon>
);
export const QuestionIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="9" />
    <path d="M9.5 9.5a2.5 2.5 0 114 2c-1 .6-1.5 1.2-1.5 2.5M12 17h.01" />
  </Icon>
);
export const GroupsIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="3" />
    <circle cx="16" cy="8" r="3" />
    <path d="M2 20c.5-3.5 3-5 6-5s5.5 1.5 6 5M14.5 15.2c.5-.1 1-.2 1.5-.2 3 0 5.5 1.5 6 5" />
  </Icon>
);
