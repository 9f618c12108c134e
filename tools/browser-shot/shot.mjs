// Neo4j Browser, end to end: log in to the local Neo4j, run one query, screenshot the
// result. Headless Debian Chromium, driven by playwright-core (which downloads nothing).
//
//   NEO4J_PASSWORD=... node shot.mjs HTTP_URL BOLT_URI QUERY_FILE OUT.png
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [httpUrl, boltUri, queryFile, out] = process.argv.slice(2);
const password = process.env.NEO4J_PASSWORD;
if (!httpUrl || !boltUri || !queryFile || !out || !password) {
  console.error("usage: NEO4J_PASSWORD=... node shot.mjs HTTP_URL BOLT_URI QUERY_FILE OUT.png");
  process.exit(2);
}
const query = readFileSync(queryFile, "utf8").trim();

const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "shot-")), {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(`${httpUrl.replace(/\/$/, "")}/browser/?dbms=${encodeURIComponent(boltUri)}`);
  await page.getByTestId("boltaddress").waitFor({ timeout: 60000 });
  await page.getByTestId("boltaddress").fill(boltUri);
  await page.getByTestId("username").fill("neo4j");
  await page.getByTestId("password").fill(password);
  await page.getByTestId("connect").click();
  await page.getByText("Connected to Neo4j").first().waitFor({ timeout: 60000 });
  const editor = page.locator("#monaco-main-editor, .monaco-editor").first();
  await editor.click();
  await page.keyboard.insertText(query);
  await page.keyboard.press("Control+Enter");
  // The newest frame holds the result: its table view.
  await page.getByTestId("frame").first().waitFor({ timeout: 60000 });
  await page.waitForTimeout(3000);
  await page.screenshot({ path: out, fullPage: false });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
