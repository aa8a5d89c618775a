import { useAppBridge } from "@shopify/app-bridge-react";
import { useState } from "react";

/**
 * Downloads a file from one of the app's authenticated routes. A link would reach the loader
 * without a session token: App Bridge adds it to fetch, and the answer is saved from a blob under
 * the name its Content-Disposition gives. A failure shows `failureMessage` as an error toast.
 */
export function useAuthenticatedDownload(failureMessage: string) {
  const shopify = useAppBridge();
  const [downloading, setDownloading] = useState(false);
  const download = async (url: string, fallbackName: string) => {
    setDownloading(true);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      const blob = await response.blob();
      const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? fallbackName;
      const href = URL.createObjectURL(blob);
      const anchor = Object.assign(document.createElement("a"), { href, download: filename });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      // Some browsers read the object URL after click() returns.
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch {
      shopify.toast.show(failureMessage, { isError: true });
    } finally {
      setDownloading(false);
    }
  };
  return { download, downloading };
}
