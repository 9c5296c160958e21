import VCard from "vcard-creator";
import { dialString } from "./phone.ts";

/*
 * "Save the contacts to my phone" on the emergency card: one .vcf file holding one vCard 3.0 per
 * partner. 3.0 rather than 4.0 because it is what the phones' contact apps import without asking.
 * vcard-creator escapes text values, folds long lines at 75 octets without splitting a character,
 * and ends lines with CRLF as RFC 2425 wants; we serve it as UTF-8.
 */

export interface VcardContact {
  organisation: string;
  /** A contact person; without one the card is the organisation itself. */
  name?: string;
  /** E.164, or a short number such as "110" as it is dialled. */
  phone?: string;
  email?: string;
  web?: string;
  note?: string;
}

// Phone, e-mail and URL are not escaped by the library; a line break in them would start a new property.
const oneLine = (value: string) => value.replace(/[\r\n]+/g, " ").trim();

function card(contact: VcardContact): VCard {
  const vcard = new VCard();
  const organisation = contact.organisation.trim();
  const person = contact.name?.trim();
  // vCard 3.0 requires FN and N. Names are not split into given and family name: we cannot do that
  // reliably for every language, so the whole name is the family name and FN shows it as written.
  vcard.addFullName(person || organisation);
  vcard.addName({ familyName: person ?? "" });
  vcard.addCompany({ name: organisation });
  // Apple's contacts then list the entry under the organisation, not under an empty person's name.
  if (!person) vcard.addCustomProperty({ name: "X-ABShowAs", value: "COMPANY" });
  if (contact.phone) vcard.addPhoneNumber({ number: oneLine(dialString(contact.phone)), type: ["work", "voice"] });
  if (contact.email) vcard.addEmail({ address: oneLine(contact.email), type: ["internet", "work"] });
  if (contact.web) vcard.addUrl({ url: oneLine(contact.web), type: ["work"] });
  // The library escapes CRLF and LF in text, not a bare CR: one kind of line break only.
  if (contact.note) vcard.addNote(contact.note.replace(/\r\n?/g, "\n"));
  return vcard;
}

/** One .vcf text with a vCard per contact, in the given order; serve it as "text/vcard; charset=utf-8". */
export function contactsVcard(contacts: VcardContact[]): string {
  return VCard.concat(...contacts.map(card));
}
