import type { PageDefinition } from "../types";
import { HeadsetIcon } from "../support/icons";
import { AnswerChatPage } from "./AnswerChatPage";
import { ChatQueuePage } from "./ChatQueuePage";
import { messages } from "./messages";

export const staffChatsPage: PageDefinition = {
  path: "staff/chats",
  namespace: "staffChats",
  messages,
  audience: "staff",
  icon: HeadsetIcon(),
  Component: ChatQueuePage,
  children: [{ path: "staff/chats/:chatId", Component: AnswerChatPage }],
};
