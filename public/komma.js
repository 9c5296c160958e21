// Progressive enhancement only: every page works without this file.
// Error summaries get focus even in browsers that ignore `autofocus` on non-form elements,
// so screen-reader users hear at once that the form needs correcting.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector('[data-module="error-summary"]');
  if (summary instanceof HTMLElement && document.activeElement !== summary) summary.focus();
});
