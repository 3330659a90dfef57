import { describe, expect, it, vi } from "vitest";
import { mergeMessages, MESSAGES_PER_READ, readThread, type Chat, type ChatMessage } from "./chat";

const message = (n: number, sender: ChatMessage["sender"] = "customer"): ChatMessage => ({
  messageId: `m${String(n).padStart(6, "0")}`,
  sender,
  body: `message ${n}`,
  createdAt: "2026-03-10T12:00:00Z",
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
const chat = (messages: ChatMessage[], status: Chat["status"] = "waiting"): Chat => ({
  chatId: "chat-1",
  customerId: "customer-1",
  categoryId: "orders",
  status,
  agentId: null,
  createdAt: "2026-03-10T12:00:00Z",
  closedAt: null,
  rating: null,
  messages,
});

describe("mergeMessages", () => {
  it("adds only the messages not already held, in order", () => {
    expect(mergeMessages([message(1), message(2)], [message(2), message(3)]).map((m) => m.messageId)).toEqual(["m000001", "m000002", "m000003"]);
  });
  it("keeps the same array when nothing is new (no re-render)", () => {
    const known = [message(1)];
    expect(mergeMessages(known, [message(1)])).toBe(known);
  });
});

describe("readThread", () => {
  it("reads every page the first time", async () => {
    const pages: Record<string, Chat> = {
      "": chat(range(1, MESSAGES_PER_READ)),
      [message(MESSAGES_PER_READ).messageId]: chat(range(MESSAGES_PER_READ + 1, MESSAGES_PER_READ + 3)),
    };
    const read = vi.fn(async (after?: string) => pages[after ?? ""]!);
    const thread = await readThread(read);
    expect(read.mock.calls.map(([after]) => after)).toEqual([undefined, message(MESSAGES_PER_READ).messageId]);
    expect(thread.messages).toHaveLength(MESSAGES_PER_READ + 3);
  });

  it("then asks only for what follows the last message held, and takes the chat's new status", async () => {
    const previous = chat([message(1), message(2)]);
    const read = vi.fn(async () => ({ ...chat([message(3, "agent")], "active"), agentId: "agent-1" }));
    const thread = await readThread(read, previous);
    expect(read).toHaveBeenCalledExactlyOnceWith("m000002");
    expect(thread.status).toBe("active");
    expect(thread.agentId).toBe("agent-1");
    expect(thread.messages.map((m) => m.sender)).toEqual(["customer", "customer", "agent"]);
  });

  it("keeps the thread when nothing new came", async () => {
    const previous = chat([message(1)]);
    const thread = await readThread(async () => chat([]), previous);
    expect(thread.messages).toBe(previous.messages);
  });
});
