import { Icon } from "../../components/icons";

export const CakeIcon = () => (
  <Icon>
    <path d="M4 21V13a2 2 0 012-2h12a2 2 0 012 2v8M2 21h20M4 16c2.5 1.5 5.5 1.5 8 0s5.5-1.5 8 0" />
    <path d="M12 11V7M12 4.5c.8-.8.8-1.7 0-2.5-.8.8-.8 1.7 0 2.5" />
  </Icon>
);
