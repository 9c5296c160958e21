// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Error summaries get focus even in browsers that ignore `autofocus` on non-form elements,
  // so screen-reader users hear at once that the form needs correcting.
  const summary = document.querySelector('[data-module="error-summary"]');
  if (summary instanceof HTMLElement && document.activeElement !== summary) summary.focus();

  // Sent to sign in from a place in a page (a mail's link to "#abschluss"), the browser keeps that
  // place in this page's address but never sends it: it goes along to where the sign-in leads.
  if (location.hash.length > 1)
    for (const next of document.querySelectorAll('input[name="weiter"]'))
      if (next instanceof HTMLInputElement && !next.value.includes("#")) next.value += location.hash;

  // A table's region is a stop for the keyboard only where it scrolls (without this file every one is, as one may).
  const regions = document.querySelectorAll(".komma-scroll-region");
  const scrolls = () => {
    for (const region of regions)
      if (region.scrollWidth > region.clientWidth) region.setAttribute("tabindex", "0");
      else region.removeAttribute("tabindex");
  };
  if (regions.length > 0) {
    scrolls();
    addEventListener("resize", scrolls);
    // A table inside a closed disclosure has no width until it opens.
    document.addEventListener("toggle", scrolls, true);
  }

  // The emergency card keeps working without network once it was opened (a service worker for its address only).
  const card = document.querySelector("[data-offline-card]");
  if (card instanceof HTMLElement && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("/notfallkarte-sw.js", { scope: card.dataset.offlineCard }).catch(() => {});
  }

  // A running live poll: the number of votes follows without reloading; the page reloads once it closes.
  const live = document.querySelector("[data-live-poll]");
  if (live instanceof HTMLElement) {
    const votes = live.querySelector("[data-live-votes]");
    const timer = setInterval(async () => {
      try {
        const response = await fetch(live.dataset.livePoll || "", { headers: { accept: "application/json" } });
        if (!response.ok) return;
        const state = await response.json();
        if (state.closed) {
          clearInterval(timer);
          location.reload();
        } else if (votes) votes.textContent = state.text;
      } catch {}
    }, 3000);
  }

  // A counselling room: the time left in the phase counts down, and a phase change (server-sent event) reloads the page.
  const room = document.querySelector("[data-counsel-live]");
  if (room instanceof HTMLElement) {
    const clock = room.querySelector("[data-ends-at]");
    const left = clock?.querySelector("[data-left]");
    if (clock instanceof HTMLElement && left) {
      const tick = () => {
        const minutes = Math.ceil((Date.parse(clock.dataset.endsAt || "") - Date.now()) / 60000);
        const text = minutes === 1 ? clock.dataset.leftOne : (clock.dataset.leftText || "").replace("0", String(minutes));
        left.textContent = minutes > 0 ? text || "" : clock.dataset.overText || "";
      };
      setInterval(tick, 15000);
    }
    if ("EventSource" in window) {
      const source = new EventSource(room.dataset.counselLive || "");
      source.addEventListener("phase", (event) => {
        if (JSON.parse(event.data).phase !== room.dataset.phase) {
          source.close();
          location.reload();
        }
      });
    }
  }

  // A form sent once (the report itself): a second click while the first is on its way sends
  // nothing, so that the answer shown is the first one (with an anonymous reporter's code).
  for (const form of document.querySelectorAll("form[data-submit-once]")) {
    let sent = false;
    form.addEventListener("submit", (event) => {
      if (sent) event.preventDefault();
      sent = true;
      // Should the answer not come (the line dropped), it may be sent again after a while.
      setTimeout(() => {
        sent = false;
      }, 15_000);
    });
  }

  // A text to copy (the receipt code): the button shows where the browser can write to the clipboard.
  for (const copy of document.querySelectorAll('[data-module="copy"]')) {
    const source = document.getElementById(copy.getAttribute("data-copy") || "");
    const button = copy.querySelector("button");
    const status = copy.querySelector('[role="status"]');
    if (!source || !button || !status || !navigator.clipboard || !window.isSecureContext) continue;
    copy.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText((source.textContent || "").trim()).then(
        () => {
          status.textContent = copy.dataset.copied || "";
        },
        () => {
          status.textContent = copy.dataset.failed || "";
        },
      );
    });
  }

  // The anonymous receipt: warn before the page is left while the code is not confirmed as noted.
  const receipt = document.querySelector('[data-module="receipt"]');
  if (receipt instanceof HTMLFormElement) {
    let confirmed = false;
    const box = receipt.querySelector('input[name="confirm"]');
    const warn = (event) => {
      if (confirmed || (box instanceof HTMLInputElement && box.checked)) return;
      event.preventDefault();
      event.returnValue = receipt.dataset.leaveWarning || "";
    };
    window.addEventListener("beforeunload", warn);
    receipt.addEventListener("submit", () => {
      confirmed = true;
    });
  }
});
