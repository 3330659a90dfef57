import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { createApi, data, ApiError, type Api, type Schemas } from "../api/client";
import { sessionFromToken, type Session } from "../auth/cognito";
import type { AppConfig } from "../config";
import { i18next, setArabicDigitsInTexts } from "../i18n/i18n";
import type { Language } from "../i18n/format";
import { AppContext, type AppState } from "./context";
import { SignInPage } from "./SignInPage";
import { CreateProfile } from "./CreateProfile";
import { AppRouter } from "./AppRouter";
import { ErrorState, Loading } from "../components/states";

const SESSION = "customer-id.session";
const DIGITS = "customer-id.arabic-digits";

function storedSession(): Session | null {
  const token = sessionStorage.getItem(SESSION);
  if (!token) {
    return null;
  }
  try {
    const session = sessionFromToken(token);
    return session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function Root({ settings }: { settings: AppConfig }) {
  const [session, setSession] = useState<Session | null>(storedSession);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(SESSION);
    setSession(null);
  }, []);
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
        <SignedIn settings={settings} session={session} signOut={signOut} />
      ) : (
        <SignInPage
          settings={settings}
          onSignedIn={(signedIn) => {
            sessionStorage.setItem(SESSION, signedIn.idToken);
            setSession(signedIn);
          }}
        />
      )}
    </QueryClientProvider>
  );
}

function SignedIn({ settings, session, signOut }: { settings: AppConfig; session: Session; signOut: () => void }) {
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
  const api: Api = useMemo(
    () => createApi(settings.ApiUrl, () => session.idToken, () => languageRef.current),
    [settings.ApiUrl, session.idToken],
  );
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
      void i18next.changeLanguage(next).then(() => queryClient.invalidateQueries());
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

  if (profileQuery.isPending) {
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
  };
  return (
    <AppContext.Provider value={state}>
      <AppRouter />
    </AppContext.Provider>
  );
}
