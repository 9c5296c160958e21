import { CsrfField, html, Layout, PageHeading, ScrollTable, type ViewContext } from "../../platform/ui/html.ts";
import { LANDS, type Land } from "../../platform/vocabulary.ts";
import { HoursText, languageName, Phone } from "./card-view.ts";
import type { NationalDirectory, NationalEntry } from "./national.ts";

/* The national directory of help services: kept by the national level, offered to each municipality for its Land. */

export function NationalDirectoryPage({ ctx, dir }: { ctx: ViewContext; dir: NationalDirectory }) {
  const { t } = ctx;
  const byLand = new Map<Land, NationalEntry[]>();
  for (const e of dir.entries) byLand.set(e.land, [...(byLand.get(e.land) ?? []), e]);
  const lead = dir.policies.edit ? t("alliance.national.leadNational") : t("alliance.national.lead", { land: dir.land ? LANDS[dir.land] : "–" });
  return html`<${Layout} ctx=${ctx} title=${t("alliance.national.title")}>
    ${!dir.policies.edit && html`<p><a class="kern-link" href="/allianz">${t("alliance.back")}</a></p>`}
    <${PageHeading} title=${t("alliance.national.title")} lead=${lead} />
    ${
      dir.policies.edit &&
      html`<p><a class="kern-btn kern-btn--secondary" href="/allianz/bundesweit/neu"><span class="kern-icon kern-icon--add" aria-hidden="true"></span><span class="kern-label">${t("alliance.national.add")}</span></a></p>`
    }
    ${dir.entries.length === 0 && html`<p class="kern-body">${t("alliance.national.none")}</p>`}
    ${[...byLand.entries()].map(
      ([land, list]) => html`<section aria-labelledby=${`land-${land}`}>
        <h2 class="kern-heading-medium" id=${`land-${land}`}>${LANDS[land]}</h2>
        <${ScrollTable} label=${LANDS[land]}><table class="kern-table">
          <caption class="kern-sr-only">${LANDS[land]}</caption>
          <thead class="kern-table__header"><tr class="kern-table__row">
            <th class="kern-table__header" scope="col">${t("alliance.field.name")}</th>
            <th class="kern-table__header" scope="col">${t("alliance.field.phone")}</th>
            <th class="kern-table__header" scope="col">${t("alliance.hours.title")}</th>
            <th class="kern-table__header" scope="col">${t("alliance.field.languages")}</th>
            <th class="kern-table__header" scope="col"><span class="kern-sr-only">${t("alliance.national.action")}</span></th>
          </tr></thead>
          <tbody class="kern-table__body">${list.map((e) => html`<${EntryRow} ctx=${ctx} entry=${e} dir=${dir} />`)}</tbody>
        </table><//>
      </section>`,
    )}
  <//>`;
}

function EntryRow({ ctx, entry, dir }: { ctx: ViewContext; entry: NationalEntry; dir: NationalDirectory }) {
  const { t } = ctx;
  const copy = dir.adopted.get(entry.id);
  let action: unknown = null;
  if (dir.policies.edit)
    action = html`<a class="kern-link" href=${`/allianz/bundesweit/${entry.id}/bearbeiten`}>${t("alliance.national.editEntry", { name: entry.name })}</a>`;
  else if (copy) action = html`<a class="kern-link" href=${`/allianz/partner/${copy}`}>${t("alliance.national.inAlliance")}</a>`;
  else if (dir.policies.adopt)
    action = html`<form method="post" action=${`/allianz/bundesweit/${entry.id}/uebernehmen`}><${CsrfField} ctx=${ctx} />
      <button type="submit" class="kern-btn kern-btn--secondary kern-btn--small"><span class="kern-label">${t("alliance.national.adopt")}<span class="kern-sr-only">: ${entry.name}</span></span></button></form>`;
  return html`<tr class="kern-table__row">
    <th class="kern-table__cell" scope="row"><span class="kern-body--bold">${entry.name}</span><br /><span class="kern-body--small">${t(`alliance.kind.${entry.kind}`)}${entry.services && html` – ${entry.services}`}</span></th>
    <td class="kern-table__cell">${entry.phone ? html`<${Phone} e164=${entry.phone} />` : "–"}</td>
    <td class="kern-table__cell"><${HoursText} ctx=${ctx} hours=${entry.hours} /></td>
    <td class="kern-table__cell">${entry.languages.map((l) => languageName(l, ctx.lang)).join(", ") || "–"}</td>
    <td class="kern-table__cell">${action}</td>
  </tr>`;
}
