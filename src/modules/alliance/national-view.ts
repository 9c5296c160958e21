import { CsrfField, html, Layout, PageHeading, ScrollTable, SubmitButton, type ViewContext } from "../../platform/ui/html.ts";
import { LANDS, type Land } from "../../platform/vocabulary.ts";
import { HoursText, languageName, Phone } from "./card-view.ts";
import { describeHours, type OpeningHours } from "./hours.ts";
import type { NationalChange, NationalDirectory, NationalEntry } from "./national.ts";
import { displayPhone } from "./phone.ts";

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

/** A field's value as a person reads it (a phone number dialled, hours in words, languages by name). */
function shown(ctx: ViewContext, field: string, value: unknown): string {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) return "–";
  if (field === "phone" && typeof value === "string") return displayPhone(value);
  if (field === "kind") return ctx.t(`alliance.kind.${String(value)}`);
  if (field === "languages" && Array.isArray(value)) return value.map((l) => languageName(String(l), ctx.lang)).join(", ");
  if (field === "hours") {
    const hours = value as OpeningHours;
    return hours.alwaysOpen
      ? ctx.t("alliance.hours.alwaysOpen")
      : describeHours(hours, ctx.lang)
          .map((l) => `${l.days} ${l.ranges}`)
          .join("; ") || ctx.t("alliance.hours.unknown");
  }
  return String(value);
}

/**
 * On a copy from the national directory: what the national level changed since, old and new
 * value side by side, and where taking it over would replace the municipality's own value.
 */
export function NationalUpdate({ ctx, partnerId, changes, canTake }: { ctx: ViewContext; partnerId: string; changes: NationalChange[]; canTake: boolean }) {
  const { t } = ctx;
  const label = (f: string) => t(f === "hours" ? "alliance.hours.title" : `alliance.field.${f}`);
  return html`<div class="kern-alert kern-alert--info" role="status">
    <div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span><h2 class="kern-title">${t("alliance.national.changedTitle")}</h2></div>
    <div class="kern-alert__body">
      <p class="kern-body">${t("alliance.national.changedLead")}</p>
      <dl class="kern-description-list">${changes.map(
        (c) => html`<div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">${label(c.field)}</dt>
          <dd class="kern-description-list-item__value">
            <span class="kern-body">${t("alliance.national.before")}: ${shown(ctx, c.field, c.before)}</span><br />
            <span class="kern-body--bold">${t("alliance.national.after")}: ${shown(ctx, c.field, c.after)}</span>
            ${c.ownValue !== undefined && html`<br /><span class="kern-body">${t("alliance.national.ownValue", { value: shown(ctx, c.field, c.ownValue) })}</span>`}
          </dd>
        </div>`,
      )}</dl>
      ${
        canTake &&
        html`<form method="post" action=${`/allianz/partner/${partnerId}/abgleichen`}><${CsrfField} ctx=${ctx} /><${SubmitButton} label=${t("alliance.national.take")} variant="secondary" /></form>`
      }
    </div>
  </div>`;
}
