// Drives two pages of the notes example in headless Chromium: an edit in one appears in the
// other; one goes offline, edits, comes back, and both converge; then one keeps a note for
// itself (the other loses it) and shares it back. Exits non-zero on failure.
// Usage: node two-pages.mjs HTTP_URL SCREENSHOT_DIR TOKEN_A TOKEN_B (each page signs in with
// its own token, given in the page's address as #token=...).
import { chromium } from "playwright-core";

const [url, screenshots, tokenA, tokenB] = process.argv.slice(2);
const tokens = { A: tokenA, B: tokenB };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const step = (text) => console.log("browser test: " + text);

// Opens a page signed in as `name`, kept in `pages` at once, so that a failure while it signs
// in and syncs reports its state too; what it logs to its console goes to the test's output.
async function page(name) {
  const context = await browser.newContext(); // its own localStorage, so its own client uid
  const page = await context.newPage();
  pages[name] = { context, page };
  page.on("pageerror", (error) => console.error(`${name}: ${error}`));
  page.on("console", (message) => console.error(`${name} console: ${message.text()}`));
  await page.goto(`${url}#token=${tokens[name]}`);
  await page.waitForSelector('#status[data-state="in sync"]', { timeout: 45000 });
  return pages[name];
}

const titles = (page) => page.$$eval("#notes li input.title", (inputs) => inputs.map((i) => i.value).sort());
async function add(page, title) {
  await page.fill("#title", title);
  await page.click("#add button");
}
/**
 * Types a value into an input of the list and commits it, in one task of the page: the list is
 * drawn anew whenever a change arrives, and a value typed into an input that is then replaced
 * would be lost before its change event.
 */
async function edit(page, selector, value) {
  await page.$eval(selector, (input, typed) => {
    input.value = typed;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }, value);
}

async function waitForTitles(page, expected) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll("#notes li input.title")].map((i) => i.value).sort())
      === JSON.stringify(want),
    [...expected].sort(), { timeout: 20000 });
}

const pages = {};
try {
  const a = await page("A");
  const b = await page("B");
  step("both pages are in sync");

  await add(a.page, "Written on A");
  await waitForTitles(b.page, ["Written on A"]);
  step("an edit on A appears on B");

  const firstId = await a.page.$eval("#notes li", (item) => item.dataset.id);
  await edit(a.page, `#notes li[data-id="${firstId}"] input.tags`, "home, weekend");
  await b.page.waitForFunction((id) => document.querySelector(`#notes li[data-id="${id}"] input.tags`)?.value
    === "home, weekend", firstId, { timeout: 20000 });
  await a.page.waitForFunction(() => document.querySelector("#status").textContent === "in sync: every edit saved",
    null, { timeout: 20000 });
  step("tags edited on A appear on B; A says: " + await a.page.textContent("#status"));

  await b.context.setOffline(true);
  await b.page.click("#offline");
  await b.page.waitForSelector('#status[data-state="offline"]');
  await add(b.page, "Written on B while offline");
  const idOfA = await b.page.$$eval("#notes li",
    (items) => items.find((item) => item.querySelector("input.title").value === "Written on A").dataset.id);
  await edit(b.page, `#notes li[data-id="${idOfA}"] input.title`, "Renamed on B while offline");
  await add(a.page, "Written on A meanwhile");
  step("B is offline with two changes queued: " + await b.page.textContent("#status"));
  await b.page.screenshot({ path: `${screenshots}/page-b-offline.png` });

  await b.context.setOffline(false);
  await b.page.click("#online");
  const expected = ["Renamed on B while offline", "Written on B while offline", "Written on A meanwhile"];
  await waitForTitles(b.page, expected);
  await waitForTitles(a.page, expected);
  await b.page.waitForSelector('#status[data-state="in sync"]', { timeout: 20000 });
  step("B came back; both pages hold " + JSON.stringify(await titles(a.page)));

  // Sharing: A keeps its note for itself (B loses it), then shares it with B (B gets it whole).
  const uidOf = (page) => page.evaluate(() => localStorage.getItem("syncro.uid"));
  const [uidA, uidB] = [await uidOf(a.page), await uidOf(b.page)];
  const idOfMeanwhile = await a.page.$$eval("#notes li",
    (items) => items.find((item) => item.querySelector("input.title").value === "Written on A meanwhile").dataset.id);
  const shareOnA = (uids) => edit(a.page, `#notes li[data-id="${idOfMeanwhile}"] input.shared`, uids);
  await shareOnA(uidA);
  await waitForTitles(b.page, ["Renamed on B while offline", "Written on B while offline"]);
  await waitForTitles(a.page, expected);
  step("A kept a note for itself: B no longer holds it");
  await shareOnA(uidB);
  await waitForTitles(b.page, expected);
  step("A shared it with B: B holds it again");

  await a.page.screenshot({ path: `${screenshots}/page-a.png` });
  await b.page.screenshot({ path: `${screenshots}/page-b.png` });
  step("screenshots in " + screenshots);
  await browser.close();
} catch (error) {
  console.error("browser test failed: " + error.stack);
  // What each page held when it failed (its copy, cursor, outbox and histories), to tell a
  // change that never arrived from one that arrived and was merged away.
  for (const [name, { page }] of Object.entries(pages)) {
    const state = await page.evaluate(() => localStorage.getItem("syncro.state")).catch((e) => e);
    const status = await page.textContent("#status").catch((e) => e);
    console.error(`page ${name} (${status}): ${state}`);
  }
  await browser.close();
  process.exit(1);
}
