// What a visit to a page costs on the wire, measured in a real Chromium: the bytes each response
// took on the network (headers and encoded body, as DevTools counts them), so compression,
// caching and the fonts the browser actually picks are all accounted for. Used by
// `npm run bench:weight` and by the end-to-end test of the first visit's weight.
import type { BrowserContext, CDPSession, Page } from "playwright-core";

export interface Transfer {
  url: string;
  status: number;
  /** Bytes received over the network for this response: 0 when it came from the cache. */
  bytes: number;
  encoding: string;
  fromCache: boolean;
}

export interface Visit {
  url: string;
  bytes: number;
  transfers: Transfer[];
}

/** A page whose network traffic is recorded through the DevTools protocol. */
export class WeighedPage {
  readonly page: Page;
  private readonly pending = new Map<string, Transfer>();
  private finished: Transfer[] = [];

  private constructor(page: Page, cdp: CDPSession) {
    this.page = page;
    cdp.on("Network.requestWillBeSent", (e) => {
      if (e.request.url.startsWith("data:")) return; // inline, never on the wire
      // A redirect reuses the request id: the hop that was answered with it ends here.
      const hop = this.pending.get(e.requestId);
      if (hop && e.redirectResponse) {
        hop.status = e.redirectResponse.status;
        hop.bytes = e.redirectResponse.encodedDataLength;
        this.finished.push(hop);
      }
      this.pending.set(e.requestId, { url: e.request.url, status: 0, bytes: 0, encoding: "", fromCache: false });
    });
    cdp.on("Network.requestServedFromCache", (e) => {
      const t = this.pending.get(e.requestId);
      if (t) t.fromCache = true;
    });
    cdp.on("Network.responseReceived", (e) => {
      const t = this.pending.get(e.requestId);
      if (!t) return;
      t.status = e.response.status;
      t.fromCache ||= e.response.fromDiskCache === true;
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      t.encoding = headers["content-encoding"] ?? "";
    });
    cdp.on("Network.loadingFinished", (e) => {
      const t = this.pending.get(e.requestId);
      if (!t) return;
      t.bytes = e.encodedDataLength;
      this.pending.delete(e.requestId);
      this.finished.push(t);
    });
    cdp.on("Network.loadingFailed", (e) => {
      const t = this.pending.get(e.requestId);
      if (!t) return;
      this.pending.delete(e.requestId);
      this.finished.push(t);
    });
  }

  static async open(context: BrowserContext): Promise<WeighedPage> {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    return new WeighedPage(page, cdp);
  }

  /** Runs `action` (a navigation, a form post) and returns what it transferred until the page settled. */
  async weigh(label: string, action: (page: Page) => Promise<unknown>): Promise<Visit> {
    this.finished = [];
    await action(this.page);
    await this.page.waitForLoadState("networkidle");
    // Fonts are requested only once layout needs them; wait until they have arrived.
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
    await this.page.waitForLoadState("networkidle");
    const transfers = this.finished;
    this.finished = [];
    return { url: label, bytes: transfers.reduce((sum, t) => sum + t.bytes, 0), transfers };
  }
}

export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

/** One line per response, for reading where the bytes went. */
export function describeVisit(visit: Visit): string {
  return visit.transfers
    .map((t) => {
      const path = new URL(t.url).pathname;
      return `    ${String(t.status).padStart(3)} ${kb(t.bytes).padStart(9)} ${(t.fromCache ? "cache" : t.encoding || "-").padEnd(5)} ${path}`;
    })
    .join("\n");
}
