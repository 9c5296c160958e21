import { html, type ViewContext } from "../../platform/ui/html.ts";

/**
 * Whether a survey, poll or comment round still runs: the words under `knowledge.<kind>.status.open`
 * and `.closed`, green while it runs.
 */
export function RunningBadge({ ctx, kind, open }: { ctx: ViewContext; kind: "survey" | "poll" | "round"; open: boolean }) {
  return html`<span class=${`kern-badge kern-badge--${open ? "success" : "info"}`}><span class="kern-label kern-label--small">${ctx.t(`knowledge.${kind}.status.${open ? "open" : "closed"}`)}</span></span>`;
}
