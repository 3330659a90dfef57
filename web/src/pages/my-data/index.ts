import type { PageDefinition } from "../types";
import { DataIcon } from "./icons";
import { messages } from "./messages";
import { MyDataPage } from "./MyDataPage";

export const myDataPage: PageDefinition = {
  path: "my-data",
  namespace: "my-data",
  messages,
  audience: "customer",
  icon: DataIcon(),
  Component: MyDataPage,
};
