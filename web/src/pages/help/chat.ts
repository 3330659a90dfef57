/** A chat's thread, read the way the contract allows (GET /chats/{chatId} answers at most 100 messages
 * after `after`): the first read takes every page, each later read (polling) only what follows the last
 * message already held, so a long chat costs one small request per poll. */
import { useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { data, type Schemas } from "../../api/client";
import { useApp } from "../../app/context";

export type Chat = Schemas["ChatOutput"];
export type ChatMessage = Schemas["ChatMessageOutput"];

/** The API's page size for a chat's messages. */
export const MESSAGES_PER_READ = 100;
/** How often an open thread asks for new messages. */
export const POLL_MS = 2_000;

/** `known` then the messages of `more` not already in it (a message is its id), in order. */
export function mergeMessages(known: ChatMessage[], more: ChatMessage[]): ChatMessage[] {
  const seen = new Set(known.map((message) => message.messageId));
  const fresh = more.filter((message) => !seen.has(message.messageId));
  return fresh.length === 0 ? known : [...known, ...fresh];
}

/** The thread after `previous`: pages of `read(after)` from the last message held, until a short page. */
export async function readThread(read: (after?: string) => Promise<Chat>, previous?: Chat): Promise<Chat> {
  let messages = previous?.messages ?? [];
  let after = messages.at(-1)?.messageId;
  for (;;) {
    const page = await read(after);
    messages = mergeMessages(messages, page.messages);
    if (page.messages.length < MESSAGES_PER_READ) {
      return { ...page, messages };
    }
    after = page.messages.at(-1)!.messageId;
  }
}

export const chatKey = (chatId: string): QueryKey => ["chat", chatId];

/** The chat with its whole thread, polled every POLL_MS while `live` and the chat is not closed. */
export function useChatThread(chatId: string, live = true) {
  const { api } = useApp();
  const queryClient = useQueryClient();
  const key = chatKey(chatId);
  return useQuery({
    queryKey: key,
    queryFn: () =>
      readThread(
        (after) =>
          data(api.GET("/chats/{chatId}", { params: { path: { chatId }, query: after ? { after } : {} } })),
        queryClient.getQueryData<Chat>(key),
      ),
    refetchInterval: (query) => (live && query.state.data?.status !== "closed" ? POLL_MS : false),
    staleTime: 0,
  });
}
