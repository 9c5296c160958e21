import { html, Layout, PageHeading, type ViewContext } from "../ui/html.ts";
import { PROBLEMS } from "./errors.ts";

/** The part of JSON Schema the page shows. */
interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
}

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema; examples?: Record<string, { summary?: string; value: unknown }> }> };
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
}

export interface OpenApiDoc {
  info: { title: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

type T = ViewContext["t"];

/** A description's `code spans` as code, the rest as text (descriptions are written in Markdown's manner). */
const prose = (text: string) => text.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part));

/** One row per field; fields of objects inside lists appear as `list[].field`. */
function fieldRows(schema: JsonSchema, prefix = ""): { name: string; schema: JsonSchema; required: boolean }[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
    const row = { name: `${prefix}${name}`, schema: field, required: schema.required?.includes(name) ?? false };
    const nested = field.items?.properties ? fieldRows(field.items, `${prefix}${name}[].`) : [];
    return [row, ...nested];
  });
}

function typeLabel(s: JsonSchema): string {
  const types = (Array.isArray(s.type) ? s.type : [s.type ?? "any"]).join(" | ");
  if (types === "array" && s.items) return `array of ${typeLabel(s.items)}`;
  return s.format ? `${types} (${s.format})` : types;
}

function rules(s: JsonSchema, t: T): string[] {
  const out: string[] = [];
  const values = s.enum ?? s.items?.enum;
  if (values) out.push(`${t("apiDocs.allowed")}: ${values.join(", ")}`);
  if (s.minLength !== undefined) out.push(`${t("apiDocs.minLength")}: ${s.minLength}`);
  if (s.maxLength !== undefined) out.push(`${t("apiDocs.maxLength")}: ${s.maxLength}`);
  if (s.maxItems !== undefined) out.push(`${t("apiDocs.maxItems")}: ${s.maxItems}`);
  if (s.default !== undefined) out.push(`${t("apiDocs.default")}: ${JSON.stringify(s.default)}`);
  return out;
}

function bodySection(id: string, body: JsonSchema, examples: Record<string, { summary?: string; value: unknown }>, t: T) {
  const rows = fieldRows(body);
  return html`<h4 class="kern-heading-small" id=${`${id}-body`}>${t("apiDocs.requestBody")}</h4>
    ${body.description && html`<p class="kern-body" lang="en">${prose(body.description)}</p>`}
    <div class="kern-table-responsive"><table class="kern-table kern-table--small" aria-labelledby=${`${id}-body`}>
      <thead class="kern-table__header"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("apiDocs.field")}</th>
        <th class="kern-table__header" scope="col">${t("apiDocs.type")}</th>
        <th class="kern-table__header" scope="col">${t("apiDocs.required")}</th>
        <th class="kern-table__header" scope="col">${t("apiDocs.notes")}</th>
      </tr></thead>
      <tbody class="kern-table__body">
        ${rows.map(
          (r) => html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row"><code>${r.name}</code></th>
            <td class="kern-table__cell">${typeLabel(r.schema)}</td>
            <td class="kern-table__cell">${r.required ? t("apiDocs.yes") : t("apiDocs.no")}</td>
            <td class="kern-table__cell">${r.schema.description && html`<span lang="en">${prose(r.schema.description)}</span>`}${r.schema.description && rules(r.schema, t).length > 0 ? ". " : ""}${rules(r.schema, t).join(". ")}</td>
          </tr>`,
        )}
      </tbody>
    </table></div>
    ${Object.entries(examples).map(
      ([name, example]) => html`<h5 class="kern-heading-small">${t("apiDocs.example")}: ${example.summary ?? name}</h5>
        <pre class="komma-example"><code>${JSON.stringify(example.value, null, 2)}</code></pre>`,
    )}`;
}

function operationSection(path: string, method: string, op: Operation, t: T) {
  const id = `op-${op.operationId ?? `${method}-${path}`}`;
  const media = op.requestBody?.content?.["application/json"];
  const body = media?.schema;
  return html`<section class="komma-operation" aria-labelledby=${id}>
    <h3 class="kern-heading-small" id=${id}><code>${method.toUpperCase()} ${path}</code></h3>
    ${op.summary && html`<p class="kern-body" lang="en"><strong>${prose(op.summary)}</strong></p>`}
    ${op.description && op.description !== body?.description && html`<p class="kern-body" lang="en">${prose(op.description)}</p>`}
    ${op.operationId && html`<p class="kern-body kern-body--small">operationId: <code>${op.operationId}</code></p>`}
    ${
      op.parameters &&
      op.parameters.length > 0 &&
      html`<p class="kern-body kern-body--small">${t("apiDocs.parameters")}:</p>
      <ul class="kern-list kern-body--small">${op.parameters.map(
        (p) =>
          html`<li><code>${p.name}</code> (${p.in}${p.required ? `, ${t("apiDocs.required")}` : ""})${p.description && html` – <span lang="en">${prose(p.description)}</span>`}</li>`,
      )}</ul>`
    }
    ${body && bodySection(id, body, media?.examples ?? {}, t)}
    <h4 class="kern-heading-small">${t("apiDocs.responses")}</h4>
    <dl class="kern-description-list">
      ${Object.entries(op.responses ?? {}).map(
        ([status, r]) => html`<div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">${status} <span class="kern-body--small">(${Object.keys(r.content ?? {}).join(", ")})</span></dt>
          <dd class="kern-description-list-item__value" lang="en">${prose(r.description ?? "")}</dd>
        </div>`,
      )}
    </dl>
  </section>`;
}

/**
 * Readable API documentation rendered on the server from the OpenAPI document: it works
 * without JavaScript and under our strict CSP, unlike a client-side viewer.
 */
export function apiDocsPage(ctx: ViewContext, doc: OpenApiDoc) {
  const { t } = ctx;
  const operations = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([method, op]) => ({ path: p, method, op })));
  return html`<${Layout} ctx=${ctx} title=${t("apiDocs.title")}>
    <${PageHeading} title=${t("apiDocs.title")} />
    ${doc.info.description && html`<p class="kern-body" lang="en">${prose(doc.info.description)}</p>`}
    ${ctx.lang !== "en" && html`<p class="kern-body kern-body--small">${t("apiDocs.language")}</p>`}
    <p class="kern-body"><a class="kern-link" href="/api/openapi.json">${t("apiDocs.openapi")}</a></p>
    <nav aria-labelledby="api-contents"><h2 class="kern-heading-medium" id="api-contents">${t("apiDocs.operations")}</h2>
      <ul class="kern-list">
        ${(doc.tags ?? []).map((tag) => html`<li><a class="kern-link" href=${`#tag-${tag.name}`}>${tag.name}</a>: <span lang="en">${prose(tag.description ?? "")}</span></li>`)}
        <li><a class="kern-link" href="#problems">${t("apiDocs.problems")}</a></li>
      </ul>
    </nav>
    ${(doc.tags ?? []).map(
      (tag) => html`<section aria-labelledby=${`tag-${tag.name}`}>
        <h2 class="kern-heading-medium" id=${`tag-${tag.name}`}>${tag.name}</h2>
        ${tag.description && html`<p class="kern-body" lang="en">${prose(tag.description)}</p>`}
        ${operations.filter(({ op }) => op.tags?.includes(tag.name)).map(({ path, method, op }) => operationSection(path, method, op, t))}
      </section>`,
    )}
    <h2 class="kern-heading-medium" id="problems">${t("apiDocs.problems")}</h2>
    <p class="kern-body">${t("apiDocs.problemsLead")}</p>
    <dl class="kern-description-list">
      ${Object.entries(PROBLEMS).map(
        ([code, p]) => html`<div class="kern-description-list-item" id=${`problem-${code}`}>
          <dt class="kern-description-list-item__key"><code>${code}</code> (${p.status})</dt>
          <dd class="kern-description-list-item__value" lang="en">${p.title}</dd>
        </div>`,
      )}
    </dl>
  <//>`;
}
