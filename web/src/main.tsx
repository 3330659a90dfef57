import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { loadConfig } from "./config";
import { setupI18n } from "./i18n/i18n";
import { registerPageMessages } from "./routes";
import { Root } from "./app/Root";
import "./styles.css";

async function start(): Promise<void> {
  const root = createRoot(document.getElementById("root")!);
  await setupI18n();
  registerPageMessages();
  try {
    const settings = await loadConfig();
    root.render(
      <StrictMode>
        <Root settings={settings} />
      </StrictMode>,
    );
  } catch (failure) {
    root.render(<p role="alert">The app's settings (config.json) could not be read: {String(failure)}</p>);
  }
  if ("serviceWorker" in navigator && import.meta.env.PROD) {
    navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  }
}

void start();
