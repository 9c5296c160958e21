import { numberFormat } from "../../platform/i18n/formats.ts";
import { html, Layout, PageHeading, ScrollTable, type ViewContext } from "../../platform/ui/html.ts";
import { type Transfer, transferLinks } from "./transfer.ts";

/*
 * The transfer view: a graph of whose practices travelled to whom (server-rendered SVG: the
 * municipalities that gave on the left, those that took on the right, a line per pair as thick as
 * the number of practices), the same figures as a table beside it for screen readers and print,
 * and the lists per practice and per municipality.
 */

const ROW = 34;
const WIDTH = 560;
const LABEL = 190;

function TransferGraph({ ctx, links }: { ctx: ViewContext; links: { from: string; to: string; n: number }[] }) {
  const { t } = ctx;
  const froms = [...new Set(links.map((l) => l.from))];
  const tos = [...new Set(links.map((l) => l.to))];
  const height = Math.max(froms.length, tos.length) * ROW + ROW;
  const y = (list: string[], name: string) => ROW + list.indexOf(name) * ROW;
  const max = Math.max(1, ...links.map((l) => l.n));
  const left = LABEL;
  const right = WIDTH - LABEL;
  return html`<figure class="komma-figure">
    <svg xmlns="http://www.w3.org/2000/svg" viewBox=${`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby="transfer-graph-title" class="komma-chart">
      <title id="transfer-graph-title">${t("knowledge.transfer.graphTitle")}</title>
      <text x=${left - 8} y=${ROW / 2} text-anchor="end" class="komma-chart__head">${t("knowledge.transfer.from")}</text>
      <text x=${right + 8} y=${ROW / 2} class="komma-chart__head">${t("knowledge.transfer.to")}</text>
      ${links.map((l) => {
        const y1 = y(froms, l.from);
        const y2 = y(tos, l.to);
        const mid = (left + right) / 2;
        return html`<path d=${`M ${left} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${right} ${y2}`} fill="none" stroke="#26489e" stroke-opacity="0.55"
          stroke-width=${2 + (8 * l.n) / max}><title>${t("knowledge.transfer.link", { from: l.from, to: l.to, count: l.n })}</title></path>`;
      })}
      ${froms.map((name) => html`<text x=${left - 8} y=${y(froms, name) + 5} text-anchor="end">${name}</text>`)}
      ${tos.map((name) => html`<text x=${right + 8} y=${y(tos, name) + 5}>${name}</text>`)}
    </svg>
    <figcaption class="kern-body--small">${t("knowledge.transfer.graphCaption")}</figcaption>
  </figure>`;
}

export function TransferPage({ ctx, transfer }: { ctx: ViewContext; transfer: Transfer }) {
  const { t } = ctx;
  const links = transferLinks(transfer.edges);
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.transfer.title")}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a></p>
    <${PageHeading} title=${t("knowledge.transfer.title")} lead=${t("knowledge.transfer.lead")} />
    ${links.length === 0 && html`<p class="kern-body">${t("knowledge.transfer.none")}</p>`}
    ${
      links.length > 0 &&
      html`<div class="komma-chart-pair">
        <${TransferGraph} ctx=${ctx} links=${links} />
        <${ScrollTable} label=${t("knowledge.transfer.tableTitle")}><table class="kern-table">
          <caption class="kern-title">${t("knowledge.transfer.tableTitle")}</caption>
          <thead class="kern-table__header"><tr class="kern-table__row">${th("knowledge.transfer.from")}${th("knowledge.transfer.to")}${th("knowledge.transfer.count")}</tr></thead>
          <tbody class="kern-table__body">${links.map(
            (l) =>
              html`<tr class="kern-table__row"><td class="kern-table__cell">${l.from}</td><td class="kern-table__cell">${l.to}</td><td class="kern-table__cell">${l.n}</td></tr>`,
          )}</tbody>
        </table><//>
      </div>
      <h2 class="kern-heading-medium">${t("knowledge.transfer.byPractice")}</h2>
      <${ScrollTable} label=${t("knowledge.transfer.byPractice")}><table class="kern-table">
        <thead class="kern-table__header"><tr class="kern-table__row">${th("knowledge.field.title")}${th("knowledge.transfer.from")}${th("knowledge.transfer.count")}${th("knowledge.transfer.meanScore")}</tr></thead>
        <tbody class="kern-table__body">${transfer.byPractice.map(
          (p) => html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row">${p.title ? html`<a class="kern-link" href=${`/wissen/${p.originId}`}>${p.title}</a>` : "–"}</th>
            <td class="kern-table__cell">${p.from}</td>
            <td class="kern-table__cell">${p.adoptions}</td>
            <td class="kern-table__cell">${p.meanScore === null ? "–" : t("knowledge.transfer.score", { score: numberFormat(ctx.lang).format(p.meanScore), count: p.answers })}</td>
          </tr>`,
        )}</tbody>
      </table><//>
      <h2 class="kern-heading-medium">${t("knowledge.transfer.byTenant")}</h2>
      <${ScrollTable} label=${t("knowledge.transfer.byTenant")}><table class="kern-table">
        <thead class="kern-table__header"><tr class="kern-table__row">${th("knowledge.transfer.tenant")}${th("knowledge.transfer.given")}${th("knowledge.transfer.taken")}</tr></thead>
        <tbody class="kern-table__body">${transfer.byTenant.map(
          (m) =>
            html`<tr class="kern-table__row"><th class="kern-table__cell" scope="row">${m.name}</th><td class="kern-table__cell">${m.given}</td><td class="kern-table__cell">${m.taken}</td></tr>`,
        )}</tbody>
      </table><//>`
    }
  <//>`;
}
