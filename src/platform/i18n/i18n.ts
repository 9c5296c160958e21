import i18next, { type TFunction } from "i18next";
import Negotiator from "negotiator";
import { de } from "./locales/de.ts";
import { en } from "./locales/en.ts";

/** Languages of the whole interface. Modules may add languages for their public flows. */
export const UI_LANGUAGES = ["de", "en"] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: UiLanguage = "de";
/** Languages of the public reporting flow: the interface ones plus those of people affected. */
export const PUBLIC_LANGUAGES = ["de", "en", "tr", "ar", "uk", "ru"] as const;
export type PublicLanguage = (typeof PUBLIC_LANGUAGES)[number];
export const RTL_LANGUAGES: readonly string[] = ["ar"];
export const LANGUAGE_NAMES: Record<PublicLanguage, string> = { de: "Deutsch", en: "English", tr: "Türkçe", ar: "العربية", uk: "Українська", ru: "Русский" };

export type Translate = TFunction;

const instance = i18next.createInstance();
await instance.init({
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...PUBLIC_LANGUAGES],
  resources: { de: { translation: de }, en: { translation: en } },
  interpolation: { escapeValue: false }, // the view layer escapes
  returnNull: false,
  initAsync: false,
});

export function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === "string" && (UI_LANGUAGES as readonly string[]).includes(value);
}

export function isPublicLanguage(value: unknown): value is PublicLanguage {
  return typeof value === "string" && (PUBLIC_LANGUAGES as readonly string[]).includes(value);
}

export function translator(lang: PublicLanguage): Translate {
  return instance.getFixedT(lang);
}

/** Adds a module's strings (namespaced under its key) for each language. */
export function addStrings(lang: string, bundle: Record<string, unknown>): void {
  instance.addResourceBundle(lang, "translation", bundle, true, false);
}

/**
 * The chosen language (cookie), else German: German is the default, not a guess from the browser.
 * A program calling the API chooses with `Accept-Language` (`asked`), where it has no cookie.
 */
export function chooseLanguage(cookie: string | undefined, asked?: string): UiLanguage {
  if (isUiLanguage(cookie)) return cookie;
  if (!asked) return DEFAULT_LANGUAGE;
  const found = new Negotiator({ headers: { "accept-language": asked } }).language([DEFAULT_LANGUAGE, ...UI_LANGUAGES.filter((l) => l !== DEFAULT_LANGUAGE)]);
  return isUiLanguage(found) ? found : DEFAULT_LANGUAGE;
}

/** Whether a language has its own text for a key (a plural by its forms, a list of paragraphs as a list), without falling back. */
export function hasOwnString(lang: string, key: string): boolean {
  const found = (k: string) => {
    const v: unknown = instance.getResource(lang, "translation", k);
    return typeof v === "string" || (Array.isArray(v) && v.length > 0);
  };
  return found(key) || found(`${key}_one`) || found(`${key}_other`);
}
