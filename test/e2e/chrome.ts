/** Where the browser is; shared by the harness and the global setup (which may not use `inject`). */
export const CHROME_PATH = process.env.CHROME_PATH || "/usr/bin/chromium";
