import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, renderHook } from "@testing-library/react";
import { useDebounced } from "./useDebounced";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("useDebounced", () => {
  it("gives the value once typing pauses, never the keystrokes in between", () => {
    const seen: string[] = [];
    const { rerender } = renderHook(({ value }) => {
      const settled = useDebounced(value, 300);
      seen.push(settled);
      return settled;
    }, { initialProps: { value: "" } });
    for (const typed of ["r", "re", "ref", "refund"]) {
      rerender({ value: typed });
      act(() => void vi.advanceTimersByTime(100));
    }
    expect(seen.at(-1)).toBe("");
    act(() => void vi.advanceTimersByTime(300));
    expect(seen.at(-1)).toBe("refund");
    expect(new Set(seen)).toEqual(new Set(["", "refund"]));
  });
});
