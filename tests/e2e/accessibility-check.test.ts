import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { browserStage, expectAccessible, openPage } from "./browser.ts";

/*
 * Every browser story ends its steps with expectAccessible. This file makes sure that check can
 * fail: a page with the faults axe must find is refused, with and without JavaScript, and the
 * same page mended passes. (The colour is a presentational attribute: the platform's content
 * security policy, which the check without JavaScript runs under, refuses inline styles.)
 */

const FAULTY = `<!doctype html><html lang="de"><head><title>Prüfseite</title></head><body><main>
<h1>Prüfseite</h1>
<img src="/static/nichts.png">
<input type="text" name="ohne-beschriftung">
<p><font color="#bbbbbb">Kaum lesbar</font></p>
</main></body></html>`;

const MENDED = `<!doctype html><html lang="de"><head><title>Prüfseite</title></head><body><main>
<h1>Prüfseite</h1>
<img src="/static/nichts.png" alt="Wappen">
<label for="name">Name</label><input type="text" id="name" name="name">
<p>Gut lesbar</p>
</main></body></html>`;

describe("the accessibility check of the browser stories", () => {
  const stage = browserStage();
  const opened: { close(): Promise<void> }[] = [];
  after(async () => {
    for (const c of opened) await c.close();
  });

  for (const javaScript of [true, false]) {
    test(`finds a picture without text, a field without a label and text of too little contrast (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const { context, page } = await openPage(stage.browser, javaScript);
      opened.push(context);
      await page.route(`${stage.base}/pruefseite/*`, (route) =>
        route.fulfill({ contentType: "text/html; charset=utf-8", body: route.request().url().endsWith("/fehler") ? FAULTY : MENDED }),
      );
      await page.goto(`${stage.base}/pruefseite/fehler`);
      await assert.rejects(expectAccessible(page, "faulty page"), (err: Error) => {
        for (const rule of ["image-alt", "label", "color-contrast"]) assert.match(err.message, new RegExp(rule));
        return true;
      });
      await page.goto(`${stage.base}/pruefseite/gut`);
      await expectAccessible(page, "mended page");
    });
  }
});
