// The emergency card offline: a service worker for the card's own address only. It keeps the last
// card it fetched and the assets it used, and answers from them when there is no network. Network
// first for the card, so that it is never older than it must be; the card works without this file.
const CACHE = "komma-notfallkarte-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const isCard = /^\/[a-z0-9-]+\/notfallkarte$/.test(url.pathname);
  const isAsset = url.pathname.startsWith("/static/");
  if (!isCard && !isAsset) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      if (isAsset) {
        // Fingerprinted: a stored copy is the right one for ever.
        const stored = await cache.match(request);
        if (stored) return stored;
        const fresh = await fetch(request);
        if (fresh.ok) await cache.put(request, fresh.clone());
        return fresh;
      }
      try {
        const fresh = await fetch(request);
        // Only a card anyone may see is kept (a card for staff only is sent "no-store").
        if (fresh.ok && !/no-store/.test(fresh.headers.get("cache-control") || "")) await cache.put(request, fresh.clone());
        return fresh;
      } catch (offline) {
        const stored = (await cache.match(request)) || (await cache.match(url.pathname, { ignoreSearch: true }));
        if (stored) return stored;
        throw offline;
      }
    })(),
  );
});
