import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { createApi, data, ApiError, type Api, type Schemas } from "../api/client";
import { needsRefresh, refresh, sessionFromToken, type Session } from "../auth/cognito";
import type { AppConfig } from "../config";
import { i18next, setArabicDigitsInTexts } from "../i18n/i18n";
import type { Language } from "../i18n/format";
import { AppContext, type AppState } from "./context";
import { SignInPage } from "./SignInPage";
import { CreateProfile } from "./CreateProfile";
import { AppRouter } from "./AppRouter";
import { ErrorState, Loading } from "../components/states";
import { Goodbye } from "../pages/my-data/Goodbye";
import { isErasedProblem, type Farewell } from "../pages/my-data/confirmation";

const SESSION = "customer-id.session";
const DIGITS = "customer-id.arabic-digits";

/** The tab's session (sessionStorage: gone with the tab), renewable while its refresh token lasts. */
function storedSession(): Session | null {
  const stored = sessionStorage.getItem(SESSION);
  if (!stored) {
    return null;
  }
  try {
    const { idToken, refreshToken } = JSON.parse(stored) as { idToken: string; refreshToken?: string };
    const session = sessionFromToken(idToken, refreshToken);
    return session.expiresAt > Date.now() || session.refreshToken ? session : null;
  } catch {
    return null;
  }
}

function keepSession(session: Session): void {
  sessionStorage.setItem(SESSION, JSON.stringify({ idToken: session.idToken, refreshToken: session.refreshToken }));
}

export function Root({ settings }: { settings: AppConfig }) {
  const [session, setSession] = useState<Session | null>(storedSession);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(SESSION);
    setSession(null);
  }, []);
  // an erased account signs out to a goodbye instead of the sign-in form (pages/my-data)
  const [farewell, setFarewell] = useState<Farewell | null>(null);
  const leave = useCallback(
    (reason: Farewell) => {
      signOut();
      setFarewell(reason);
    },
    [signOut],
  );
  const onError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) {
        signOut(); // the token expired or was refused: sign in again
      }
    },
    [signOut],
  );
  const queryClient = useMemo(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError }),
        mutationCache: new MutationCache({ onError }),
        defaultOptions: {
          queries: {
            staleTime: 30_000,
            retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
          },
        },
      }),
    [onError],
  );
  useEffect(() => {
    if (!session) {
      queryClient.clear(); // nothing of one customer is shown to the next
    }
  }, [session, queryClient]);

  return (
    <QueryClientProvider client={queryClient}>
      {session ? (
        <SignedIn settings={settings} session={session} signOut={signOut} leave={leave} />
      ) : farewell ? (
        <Goodbye farewell={farewell} onDone={() => setFarewell(null)} />
      ) : (
        <SignInPage
          settings={settings}
          onSignedIn={(signedIn) => {
            keepSession(signedIn);
            setSession(signedIn);
          }}
        />
      )}
    </QueryClientProvider>
  );
}

function SignedIn({
  settings,
  session,
  signOut,
  leave,
}: {
  settings: AppConfig;
  session: Session;
  signOut: () => void;
  leave: (farewell: Farewell) => void;
}) {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const language: Language = i18n.language === "ar" ? "ar" : "en";
  const languageRef = useRef(language);
  languageRef.current = language;
  const [arabicDigits, setDigits] = useState(() => {
    const on = localStorage.getItem(DIGITS) === "1";
    setArabicDigitsInTexts(on);
    return on;
  });
  // the ID token lasts an hour: renewed with the refresh token before a request would carry an expired one
  const current = useRef(session);
  const renewing = useRef<Promise<Session> | null>(null);
  const api: Api = useMemo(() => {
    const token = async () => {
      if (needsRefresh(current.current) && current.current.refreshToken) {
        renewing.current ??= refresh(settings, current.current)
          .then((renewed) => {
            current.current = renewed;
            keepSession(renewed);
            return renewed;
          })
          .finally(() => {
            renewing.current = null;
          });
        await renewing.current.catch(() => signOut());
      }
      return current.current.idToken;
    };
    return createApi(settings.ApiUrl, token, () => languageRef.current);
  }, [settings, signOut]);
  const customerId = session.customerId;
  const profileQuery = useQuery({
    queryKey: ["profile", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/profile", { params: { path: { customerId } } })),
  });
  const profile = profileQuery.data;
  const adopted = useRef(false);
  useEffect(() => {
    // the profile's saved language wins once, when it is first read
    if (profile && !adopted.current) {
      adopted.current = true;
      if (profile.language !== language) {
        void i18n.changeLanguage(profile.language);
      }
    }
  }, [profile, language, i18n]);

  const setLanguage = useCallback(
    (next: Language) => {
      // every answer again in the new language; a first fetch still under way would keep its answer
      // in the old one (invalidation joins a fetch that has no data yet), so it is cancelled first
      void i18next
        .changeLanguage(next)
        .then(() => queryClient.cancelQueries())
        .then(() => queryClient.invalidateQueries());
      if (profile && profile.language !== next) {
        const body: Schemas["ProfileInput"] = {
          displayName: profile.displayName,
          email: profile.email,
          language: next,
          timezone: profile.timezone,
          ...(profile.phone ? { phone: profile.phone } : {}),
          ...(profile.country ? { country: profile.country } : {}),
        };
        void data(api.PUT("/customers/{customerId}/profile", { params: { path: { customerId } }, body })).then(
          (saved) => queryClient.setQueryData(["profile", customerId], saved),
        );
      }
    },
    [api, customerId, profile, queryClient],
  );
  const setArabicDigits = useCallback((on: boolean) => {
    localStorage.setItem(DIGITS, on ? "1" : "0");
    setArabicDigitsInTexts(on);
    setDigits(on);
  }, []);

  const erased = profileQuery.isError && isErasedProblem(profileQuery.error);
  useEffect(() => {
    // a customer erased since their token was issued: their routes answer 404 customer-not-found
    if (erased) {
      leave("alreadyErased");
    }
  }, [erased, leave]);

  if (profileQuery.isPending || erased) {
    return <Loading />;
  }
  if (profileQuery.isError && profileQuery.error instanceof ApiError && profileQuery.error.status === 404) {
    return (
      <CreateProfile
        api={api}
        session={session}
        language={language}
        onCreated={(created) => queryClient.setQueryData(["profile", customerId], created)}
      />
    );
  }
  if (!profile) {
    return <ErrorState error={profileQuery.error} onRetry={() => void profileQuery.refetch()} />;
  }
  const state: AppState = {
    settings,
    session,
    api,
    profile,
    language,
    setLanguage,
    arabicDigits,
    setArabicDigits,
    signOut,
    leave,
  };
  return (
    <AppContext.Provider value={state}>
      <AppRouter />
    </AppContext.Provider>
  );
}
