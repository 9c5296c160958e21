import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/*
 * Phone numbers of alliance partners: typed as people in Germany write them, stored as E.164,
 * shown as a German reader dials them, and linked with tel: so a phone calls with one tap.
 * The full metadata ("max") is used because the smaller set calls numbers valid that are not.
 */

/**
 * The EU's harmonised numbers of social value (116 006 victims' helpline, 116 016 violence against
 * women, 116 111 children and young people, 116 117 on-call doctors, 116 123 emotional support) are
 * exactly the help an alliance lists, yet libphonenumber knows no short numbers. They are kept as
 * +49116xxx and dialled without the country code, as they work only from within Germany.
 */
const HARMONISED = /^116\d{3}$/;
const HARMONISED_E164 = /^\+49(116\d{3})$/;

/**
 * A partner's number as E.164, German numbers may be written as dialled in Germany ("06151 123456",
 * "0049 6151 123456", "+49 (0) 6151 123456"). Refused: text that is no valid number, numbers with an
 * extension (E.164 cannot hold it), and short numbers other than the harmonised 116 numbers — 110 and
 * 112 in particular, which the emergency card prints itself and no partner may stand in for.
 */
export function normalisePhone(input: string): { ok: true; e164: string } | { ok: false } {
  const compact = input.replace(/[\s/().-]/g, "");
  if (HARMONISED.test(compact)) return { ok: true, e164: `+49${compact}` };
  const number = parsePhoneNumberFromString(input.trim(), { defaultCountry: "DE", extract: false });
  if (!number?.isValid() || number.ext) return { ok: false };
  return { ok: true, e164: number.number };
}

/** German numbers as a German reader dials them ("06151 123456"), others with their country code. */
export function displayPhone(e164: string): string {
  const harmonised = HARMONISED_E164.exec(e164);
  if (harmonised) return `${harmonised[1].slice(0, 3)} ${harmonised[1].slice(3)}`;
  const number = parsePhoneNumberFromString(e164);
  if (!number) return e164;
  return number.country === "DE" ? number.formatNational() : number.formatInternational();
}

/**
 * The digits a phone should dial: E.164 as it is, a harmonised 116 number without the country code.
 * Anything else (the card's own "110") is passed on with only its digits and a leading plus.
 */
export function dialString(phone: string): string {
  const harmonised = HARMONISED_E164.exec(phone);
  if (harmonised) return harmonised[1];
  return phone.replace(/(?!^\+)[^\d]/g, "");
}

/** The href of a link that calls the number: "tel:+496151123456" (RFC 3966). */
export function telHref(e164: string): string {
  return `tel:${dialString(e164)}`;
}
