import { html, Layout, PageHeading, type ViewContext } from "../ui/html.ts";
import { PROBLEMS } from "./errors.ts";

interface OpenApiDoc {
  info: { title: string; description?: string };
  paths: Record<
    string,
    Record<
      string,
      {
        summary?: string;
        tags?: string[];
        parameters?: { name: string; in: string; required?: boolean }[];
        requestBody?: unknown;
        responses?: Record<string, unknown>;
      }
    >
  >;
}

/**
 * Readable API documentation rendered on the server from the OpenAPI document: it works
 * without JavaScript and under our strict CSP, unlike a client-side viewer.
 */
export function apiDocsPage(ctx: ViewContext, doc: OpenApiDoc) {
  const { t } = ctx;
  const operations = Object.entries(doc.paths).flatMap(([p, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path: p, method: method.toUpperCase(), op })),
  );
  return html`<${Layout} ctx=${ctx} title=${t("apiDocs.title")}>
    <${PageHeading} title=${t("apiDocs.title")} lead=${doc.info.description} />
    <p class="kern-body"><a class="kern-link" href="/api/openapi.json">${t("apiDocs.openapi")}</a></p>
    <h2 class="kern-heading-medium">${t("apiDocs.operations")}</h2>
    ${operations.map(
      ({ path, method, op }) => html`<section class="komma-operation" aria-labelledby=${`op-${method}-${path}`}>
        <h3 class="kern-heading-small" id=${`op-${method}-${path}`}><code>${method} ${path}</code></h3>
        ${op.summary && html`<p class="kern-body">${op.summary}</p>`}
        ${op.parameters && op.parameters.length > 0 && html`<p class="kern-body kern-body--small">${t("apiDocs.parameters")}: ${op.parameters.map((p) => `${p.name} (${p.in}${p.required ? `, ${t("apiDocs.required")}` : ""})`).join("; ")}</p>`}
        <p class="kern-body kern-body--small">${t("apiDocs.responses")}: ${Object.keys(op.responses ?? {}).join(", ")}</p>
      </section>`,
    )}
    <h2 class="kern-heading-medium">${t("apiDocs.problems")}</h2>
    <p class="kern-body">${t("apiDocs.problemsLead")}</p>
    <dl class="kern-description-list">
      ${Object.entries(PROBLEMS).map(
        ([code, p]) => html`<div class="kern-description-list-item" id=${`problem-${code}`}>
          <dt class="kern-description-list-item__key"><code>${code}</code> (${p.status})</dt>
          <dd class="kern-description-list-item__value">${p.title}</dd>
        </div>`,
      )}
    </dl>
  <//>`;
}
