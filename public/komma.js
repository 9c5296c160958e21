// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Error summaries get focus even in browsers that ignore `autofocus` on non-form elements,
  // so screen-reader users hear at once that the form needs correcting.
  const summary = document.querySelector('[data-module="error-summary"]');
  if (summary instanceof HTMLElement && document.activeElement !== summary) summary.focus();

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
