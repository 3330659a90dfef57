import { useQuery } from "@tanstack/react-query";
import { data } from "../../api/client";
import { useApp } from "../../app/context";

/** The support categories (public, in the app's language): for tickets, chats and the FAQ. */
export function useSupportCategories() {
  const { api } = useApp();
  const categories = useQuery({
    queryKey: ["support-categories"],
    queryFn: () => data(api.GET("/support/categories")),
    staleTime: 3_600_000,
  });
  const nameOf = (categoryId: string) =>
    categories.data?.items.find((category) => category.categoryId === categoryId)?.name ?? categoryId;
  return { categories, nameOf };
}
