/**
 * The dashboard's HTML shell (SPEC §9). It holds no data and checks no credentials: it is the
 * sign-in form plus empty cards, and /dashboard/app.js fills them from the JSON API with the key
 * the user typed (kept in sessionStorage, sent as a Bearer token; no cookies, so no CSRF surface).
 * No inline script or style, so the page runs under `default-src 'self'`.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>mql-edge · dashboard</title>
<link rel="stylesheet" href="/dashboard/app.css">
<script src="/dashboard/app.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo">◆</span> mql-edge <span class="muted">dashboard</span></div>
  <div id="session" class="session" hidden>
    <span id="site-name" class="pill"></span>
    <select id="range" aria-label="Date range">
      <option value="7">Last 7 days</option>
      <option value="30" selected>Last 30 days</option>
      <option value="90">Last 90 days</option>
    </select>
    <button id="refresh" type="button" class="ghost">Refresh</button>
    <button id="signout" type="button" class="ghost">Sign out</button>
  </div>
</header>
<main>
  <section id="signin" class="card signin">
    <h1>Sign in</h1>
    <p class="muted">Use the site's API key or the deployment's admin token. It stays in this tab's
      session storage and is sent only as a Bearer token to this worker's API.</p>
    <form id="signin-form" method="post" autocomplete="off">
      <label for="site-input">Site id</label>
      <input id="site-input" name="site" required pattern="[a-z0-9\\-]{1,64}" placeholder="demo" spellcheck="false">
      <label for="key-input">API key or admin token</label>
      <input id="key-input" name="key" type="password" required autocomplete="off">
      <button type="submit" class="primary">Sign in</button>
      <p id="signin-error" class="error" role="alert" hidden></p>
    </form>
  </section>

  <div id="board" hidden>
    <p id="load-error" class="error banner" role="alert" hidden></p>
    <section class="card">
      <div class="card-head"><h2>Funnel</h2><span id="funnel-range" class="muted small"></span></div>
      <div id="funnel" class="funnel"></div>
      <p class="muted small note">Visitors are daily active visitors summed over the days (a visitor active
        on three days counts three times); leads, MQLs and SQLs are stage entries. Rates compare each stage with the one before.</p>
    </section>
    <div class="grid">
      <section class="card">
        <div class="card-head"><h2>MQLs per day</h2><span id="mql-total" class="muted small"></span></div>
        <div id="mql-chart" class="chart"></div>
      </section>
      <section class="card">
        <div class="card-head"><h2>Score at qualification</h2><span id="score-note" class="muted small"></span></div>
        <div id="score-chart" class="chart"></div>
      </section>
    </div>
    <div class="grid wide-left">
      <section class="card">
        <div class="card-head"><h2>Recent qualifications</h2><span class="muted small">latest 15 · select one to see why</span></div>
        <div class="table-wrap">
          <table class="list">
            <thead><tr><th>When</th><th>Visitor</th><th class="num">Score</th><th>Fit</th><th>Why</th></tr></thead>
            <tbody id="mqls"></tbody>
          </table>
        </div>
      </section>
      <section class="card sticky">
        <div class="card-head"><h2>Why it qualified</h2></div>
        <div id="why"><p class="muted">Select a qualification to see its score breakdown.</p></div>
      </section>
    </div>
    <section class="card">
      <div class="card-head"><h2>Webhook delivery health</h2><span id="health-note" class="muted small"></span></div>
      <div id="health" class="tiles"></div>
      <div id="failures"></div>
    </section>
  </div>
</main>
<noscript><p class="card">The dashboard needs JavaScript.</p></noscript>
</body>
</html>
`;
