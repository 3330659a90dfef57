import { useMemo } from "react";
import { createBrowserRouter, Navigate, RouterProvider, type RouteObject } from "react-router";
import { pages } from "../routes";
import { Shell } from "./Shell";
import { NotFound } from "./NotFound";

export function AppRouter() {
  const router = useMemo(() => {
    const children: RouteObject[] = [{ index: true, element: <Navigate to={`/${pages[0]!.path}`} replace /> }];
    for (const page of pages) {
      children.push({ path: page.path, Component: page.Component });
      for (const child of page.children ?? []) {
        children.push({ path: child.path, Component: child.Component });
      }
    }
    children.push({ path: "*", Component: NotFound });
    return createBrowserRouter([{ path: "/", Component: Shell, children }]);
  }, []);
  return <RouterProvider router={router} />;
}
