/** Small inline icons (currentColor). `mirrored` ones point along the reading direction and flip in RTL. */
import type { ReactNode } from "react";

export function Icon({ children, mirrored = false }: { children: ReactNode; mirrored?: boolean }) {
  return (
    <svg className={mirrored ? "icon mirror" : "icon"} viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const StarIcon = () => (
  <Icon>
    <path d="M12 3l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3 6.4 20.2l1.1-6.2L3 9.6l6.2-.9z" />
  </Icon>
);
export const GiftIcon = () => (
  <Icon>
    <rect x="3" y="8" width="18" height="13" rx="1" />
    <path d="M12 8v13M3 12h18M12 8c-2-4-6-4-6-1s6 1 6 1 6 2 6-1-4-3-6 1" />
  </Icon>
);
export const UsersIcon = () => (
  <Icon>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20c.5-4 3-6 6.5-6s6 2 6.5 6M16 4.5a3.5 3.5 0 010 7M18 14c2 .7 3.2 2.6 3.5 6" />
  </Icon>
);
export const TagIcon = () => (
  <Icon>
    <path d="M3 12V4a1 1 0 011-1h8l9 9-9 9z" />
    <circle cx="7.5" cy="7.5" r="1.5" />
  </Icon>
);
export const ChartIcon = () => (
  <Icon>
    <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" />
  </Icon>
);
export const PieIcon = () => (
  <Icon>
    <path d="M12 3v9h9A9 9 0 1112 3z" />
  </Icon>
);
/** "Forward" in the reading direction: points left in Arabic. */
export const ForwardIcon = () => (
  <Icon mirrored>
    <path d="M9 5l7 7-7 7" />
  </Icon>
);
export const BackIcon = () => (
  <Icon mirrored>
    <path d="M15 5l-7 7 7 7" />
  </Icon>
);
