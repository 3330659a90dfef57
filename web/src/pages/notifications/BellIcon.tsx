import { Icon } from "../../components/icons";

export const BellIcon = () => (
  <Icon>
    <path d="M6 16V11a6 6 0 0112 0v5l2 2H4z" />
    <path d="M10 21h4" />
  </Icon>
);
