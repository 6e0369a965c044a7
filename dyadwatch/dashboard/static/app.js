// dyadwatch dashboard: hash routes over the JSON API. Text from the data is always inserted
// with textContent (never innerHTML), and only http(s) URLs become links, so evidence holding
// markup or a javascript: URL is shown, not run.
"use strict";

const view = document.getElementById("view");
const QUADS = [
  ["verbal_cooperation", "verbal cooperation", "#7fb3d5"],
  ["material_cooperation", "material cooperation", "#1f618d"],
  ["verbal_conflict", "verbal conflict", "#f5b041"],
  ["material_conflict", "material conflict", "#b03a2e"],
];
const PLOT_CONFIG = { responsive: true, displaylogo: false, topojsonURL: "/static/" };

let plotlyLoading = null;

function plotly() {
  // plotly.js (4 MB) is fetched once, after the first tables are on screen.
  plotlyLoading ??= new Promise((resolve, reject) => {
    const script = el("script", { src: "/static/plotly.min.js" });
    script.addEventListener("load", () => resolve(window.Plotly));
    script.addEventListener("error", () => reject(new Error("could not load plotly.js")));
    document.head.append(script);
  });
  return plotlyLoading;
}

async function draw(node, traces, layout) {
  const Plotly = await plotly();
  await Plotly.newPlot(node, traces, layout, PLOT_CONFIG);
}

function painted() {
  // The first view's data is on screen (bench/serve.py reads this mark).
  if (!view.dataset.painted) view.dataset.painted = String(Math.round(performance.now()));
}

function apiURL(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  return url;
}

async function api(path, params = {}) {
  const response = await fetch(apiURL(path, params));
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function safeLink(url, text) {
  // Only web addresses become links; anything else (javascript:, data:) stays text.
  if (typeof url === "string" && /^https?:\/\//i.test(url)) {
    return el("a", { href: url, text: text || url, target: "_blank", rel: "noopener noreferrer" });
  }
  return el("span", { text: text || url || "" });
}

function table(columns, rows, onRow) {
  const head = el("tr", {}, ...columns.map(([label]) => el("th", { text: label })));
  const body = rows.map((row) => {
    const tr = el("tr", onRow ? { class: "clickable" } : {},
      ...columns.map(([, cell]) => {
        const value = cell(row);
        return el("td", {}, value instanceof Node ? value : String(value ?? ""));
      }));
    if (onRow) tr.addEventListener("click", () => onRow(row));
    return tr;
  });
  if (!rows.length) {
    body.push(el("tr", {}, el("td", { colspan: columns.length, class: "muted", text: "none" })));
  }
  return el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
}

function downloads(path, params = {}, label = "") {
  // Links to every row behind a table, for its filters (all pages, not only the one shown), as
  // a file the server writes (format=csv|jsonl).
  const link = (format, text) => {
    const url = apiURL(path, { ...params, format });
    return el("a", { href: url.pathname + url.search, class: `download ${format}`, download: "",
      text });
  };
  return el("span", { class: "downloads" }, `${label}Download `, link("csv", "CSV"), " · ",
    link("jsonl", "JSON Lines"));
}

function show(...nodes) {
  view.replaceChildren(...nodes);
}

function go(hash) {
  window.location.hash = hash;
}

function goldsteinColour(score) {
  // -10 red, 0 grey, +10 green.
  const t = Math.max(-1, Math.min(1, (score ?? 0) / 10));
  const mix = (from, to) => Math.round(from + (to - from) * Math.abs(t));
  const [r, g, b] = t < 0 ? [mix(150, 192), mix(150, 57), mix(150, 43)]
    : [mix(150, 39), mix(150, 174), mix(150, 96)];
  return `rgb(${r},${g},${b})`;
}

function zeroAligned(...columns) {
  // Ranges for y-axes drawn over each other that put zero at the same height on every one:
  // each spans its values and zero, padded; zero then sits at the highest of their fractions
  // from the bottom (at most half way), lower ends or upper ends extended to meet it.
  const spans = columns.map((values) => {
    const known = values.filter((value) => Number.isFinite(value));
    const low = Math.min(0, ...known);
    const high = Math.max(0, ...known);
    const pad = 0.05 * (high - low || 1);
    return [low < 0 ? low - pad : 0, high + pad];
  });
  const below = Math.min(0.5, Math.max(...spans.map(([low, high]) => -low / (high - low))));
  return spans.map(([low, high]) => (-low / (high - low) <= below
    ? [(-below * high) / (1 - below), high]
    : [low, (-low * (1 - below)) / below]));
}

function alertLabel(alert) {
  return el("span", { class: alert.kind, text: alert.kind });
}

function undatedNote(count, control) {
  // Series, alerts and lists read dated events only: say how many are not shown, and how to see them.
  if (!count) return "";
  return el("p", { id: "undated-note", class: "muted" },
    `${count} undated event${count === 1 ? "" : "s"} not shown (their article prints no date ` +
    "and none could be inferred) ", control);
}

async function overview() {
  const [dyads, alerts, stats, volume] = await Promise.all([
    api("/api/dyads", { limit: 15 }), api("/api/alerts"), api("/api/stats"), api("/api/volume"),
  ]);
  const tables = stats.tables;
  const chart = el("div", { id: "volume-chart", class: "small-chart" });
  show(
    el("p", { id: "totals", class: "muted" }, `${tables.articles} articles, ` +
      `${tables.events} events, ${tables.alerts} alerts in ${stats.database}; `,
      el("a", { id: "skipped-link", href: "#/skipped", text: `${tables.skipped} items skipped` }),
      "."),
    undatedNote(alerts.undated_left_out,
      el("a", { id: "undated-list", href: "#/events?undated=true", text: "list them" })),
    el("div", { class: "columns" },
      el("section", {},
        el("h2", { text: "Most active dyads" }),
        el("p", { id: "dyads-download" }, downloads("/api/dyads")),
        table(
          [["dyad", (d) => `${d.a}–${d.b}`], ["events", (d) => d.events],
           ["stories", (d) => d.stories], ["mean Goldstein", (d) => d.goldstein_mean],
           ["direction", (d) => d.direction], ["last", (d) => d.last]],
          dyads.items, (d) => go(`#/dyad/${d.a}/${d.b}`),
        )),
      el("section", {},
        el("h2", { text: "Latest alerts" }),
        el("p", { id: "alerts-download" }, downloads("/api/alerts")),
        table(
          [["period", (a) => a.period], ["dyad", (a) => `${a.a}–${a.b}`], ["kind", alertLabel],
           ["what", (a) => a.message]],
          alerts.items.slice(-12).reverse(), (a) => go(`#/dyad/${a.a}/${a.b}`),
        ))),
    el("h2", { text: "News volume per week" }),
    chart,
  );
  painted();
  const periods = volume.points.map((p) => p.period);
  await draw(chart, [
    { x: periods, y: volume.points.map((p) => p.articles), name: "articles", type: "bar",
      marker: { color: "#aab7c4" } },
    { x: periods, y: volume.points.map((p) => p.events), name: "events", mode: "lines+markers" },
    { x: periods, y: volume.points.map((p) => p.conflict_events), name: "conflict events",
      mode: "lines", line: { color: "#b03a2e" } },
  ], { margin: { t: 10, b: 40 }, legend: { orientation: "h" } });
}

async function actorChoices() {
  const actors = (await api("/api/actors", { limit: 500 })).items;
  return el("datalist", { id: "actor-list" },
    ...actors.map((a) => el("option", { value: a.actor, text: `${a.actor} (${a.events})` })));
}

async function dyad(a, b) {
  const form = el("form", { id: "pick" },
    el("label", { text: "Actor " }),
    el("input", { id: "actor-a", value: a || "", list: "actor-list", "aria-label": "first actor" }),
    el("label", { text: " and " }),
    el("input", { id: "actor-b", value: b || "", list: "actor-list", "aria-label": "second actor" }),
    el("button", { type: "submit", text: "Show" }), await actorChoices());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const x = form.querySelector("#actor-a").value.trim().toUpperCase();
    const y = form.querySelector("#actor-b").value.trim().toUpperCase();
    if (x && y) go(`#/dyad/${x}/${y}`);
  });
  const chart = el("div", { id: "chart" });
  const alertList = el("div", { id: "dyad-alerts" });
  const listing = el("div", { id: "period-events" });
  show(el("h2", { text: a && b ? `${a}–${b}, both directions, per week` : "Pick two actors" }),
    form, chart, alertList, listing);
  if (!a || !b) {
    chart.remove();
    return;
  }
  const [series, alerts] = await Promise.all([
    api(`/api/series/${a}/${b}`, { freq: "week" }),
    api("/api/alerts", { dyad: `${a}-${b}` }).then((found) => found.items),
  ]);
  const list = el("button", { id: "undated-list", type: "button", text: "list them",
    onclick: () => undatedEvents(a, b, listing) });
  chart.before(undatedNote(series.undated_left_out, list));
  if (!series.points.length) {
    const what = series.undated_left_out ? "dated events" : "events";
    chart.replaceChildren(el("p", { class: "muted", text: `No ${what} between ${a} and ${b}.` }));
    return;
  }
  chart.before(el("p", { id: "series-download" },
    downloads(`/api/series/${a}/${b}`, { freq: "week" }, "The series: ")));
  const periods = series.points.map((p) => p.period);
  const traces = [
    ...QUADS.map(([key, label, colour]) => ({
      x: periods, y: series.points.map((p) => p[key]), name: label, type: "bar",
      marker: { color: colour },
    })),
    // A week without events has no mean (null): the line breaks there, it does not bridge it.
    { x: periods, y: series.points.map((p) => p.goldstein_mean), name: "mean Goldstein",
      mode: "lines+markers", yaxis: "y2", line: { color: "#111" }, connectgaps: false },
  ];
  const stacked = series.points.map((p) => QUADS.reduce((sum, [key]) => sum + p[key], 0));
  const [events, goldstein] = zeroAligned(stacked, series.points.map((p) => p.goldstein_mean));
  const colour = { escalation: "#c0392b", "de-escalation": "#27ae60", "volume-surge": "#8e44ad" };
  const shapes = alerts.map((alert) => ({
    type: "line", x0: alert.start, x1: alert.start, yref: "paper", y0: 0, y1: 1,
    line: { dash: "dot", width: 2, color: colour[alert.kind] || "#2c3e50" },
  }));
  const annotations = alerts.map((alert) => ({
    x: alert.start, yref: "paper", y: 1.02, text: alert.kind, showarrow: false,
    font: { size: 10, color: colour[alert.kind] || "#2c3e50" },
  }));
  alertList.replaceChildren(
    el("h3", { text: `Change points and alerts (${alerts.length})` }),
    el("p", {}, downloads("/api/alerts", { dyad: `${a}-${b}` })),
    table(
      [["from", (x) => x.start], ["kind", alertLabel], ["magnitude", (x) => x.magnitude],
       ["confidence", (x) => x.confidence], ["what", (x) => x.message]],
      alerts, (x) => citedEvents(x, listing),
    ),
  );
  await periodEvents(a, b, periods[periods.length - 1], listing);
  painted();
  await draw(chart, traces, {
    barmode: "stack", shapes, annotations, margin: { t: 30 }, legend: { orientation: "h" },
    yaxis: { title: { text: "events" }, range: events },
    yaxis2: { title: { text: "mean Goldstein" }, overlaying: "y", side: "right", range: goldstein },
  });
  chart.on("plotly_click", (data) => periodEvents(a, b, data.points[0].x, listing));
}

async function periodEvents(a, b, period, into) {
  const since = String(period).slice(0, 10);
  const end = new Date(`${since}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 6);
  const until = end.toISOString().slice(0, 10);
  const [ab, ba] = await Promise.all([
    api("/api/events", { dyad: `${a}-${b}`, since, until, limit: 200 }),
    api("/api/events", { dyad: `${b}-${a}`, since, until, limit: 200 }),
  ]);
  const items = [...ab.items, ...ba.items].sort((x, y) => String(x.date).localeCompare(y.date));
  into.replaceChildren(el("h3", { text: `Events in the week of ${since} (${items.length})` }),
    bothWays(a, b, { since, until }), eventTable(items));
}

async function undatedEvents(a, b, into) {
  const [ab, ba] = await Promise.all([
    api("/api/events", { dyad: `${a}-${b}`, undated: true, limit: 500 }),
    api("/api/events", { dyad: `${b}-${a}`, undated: true, limit: 500 }),
  ]);
  const items = [...ab.items, ...ba.items];
  into.replaceChildren(el("h3", { text: `Undated events between ${a} and ${b} (${items.length})` }),
    bothWays(a, b, { undated: true }), eventTable(items));
}

function bothWays(a, b, filters) {
  // A table of both directions' events is two event lists: one download for each.
  return el("p", { class: "both-ways" },
    downloads("/api/events", { ...filters, dyad: `${a}-${b}` }, `${a} → ${b}: `), "; ",
    downloads("/api/events", { ...filters, dyad: `${b}-${a}` }, `${b} → ${a}: `));
}

function citedEvents(alert, into) {
  const items = alert.events.map((e) => ({ ...e, id: e.event_id, evidence: [e.evidence] }));
  into.replaceChildren(
    el("h3", { text: `The events behind the ${alert.kind} from ${alert.start}` }),
    el("p", { class: "muted", text: alert.message }),
    eventTable(items),
  );
}

function eventTable(items) {
  const detail = el("div", { id: "event-detail" });
  const rows = table(
    [["date", (e) => e.date ?? "undated"], ["who", (e) => `${e.source}${e.source_sector || ""}`],
     ["event", codeName], ["whom", (e) => `${e.target}${e.target_sector || ""}`],
     ["Goldstein", (e) => e.goldstein], ["modality", (e) => e.modality],
     ["mentions", (e) => e.mentions], ["evidence", firstEvidence]],
    items, (e) => showEvent(e.id, detail),
  );
  return el("div", {}, rows, detail);
}

function codeName(event) {
  // "112 Accuse": the CAMEO code with its name, as every output prints it.
  return event.event_name ? `${event.code} ${event.event_name}` : event.code;
}

function firstEvidence(event) {
  const text = (event.evidence || [""])[0] || "";
  const [spans] = event.evidence_spans || [[]];
  const [source_start, source_end, verb_start, verb_end, target_start, target_end] = spans || [];
  return highlighted({ text, source_start, source_end, verb_start, verb_end, target_start,
    target_end }, "span");
}

function highlighted(mention, tag = "p") {
  // The sentence as text nodes, with source, verb and target wrapped in <mark>.
  const text = mention.text;
  const spans = [
    [mention.source_start, mention.source_end, "source"],
    [mention.verb_start, mention.verb_end, "verb"],
    [mention.target_start, mention.target_end, "target"],
  ].filter(([start, end]) => Number.isInteger(start) && Number.isInteger(end) && start < end
    && end <= text.length).sort((x, y) => x[0] - y[0]);
  const out = el(tag, { class: tag === "p" ? "evidence" : "evidence-inline" });
  let at = 0;
  for (const [start, end, role] of spans) {
    if (start < at) continue;
    out.append(text.slice(at, start), el("mark", { class: role, title: role, text: text.slice(start, end) }));
    at = end;
  }
  out.append(text.slice(at));
  return out;
}

async function showEvent(id, into) {
  const event = await api(`/api/events/${id}`);
  into.replaceChildren(
    el("h3", { text: `${event.source}${event.source_sector} → ${codeName(event)} → ` +
      `${event.target}${event.target_sector} ${event.date ? `on ${event.date}` : "(undated)"}` }),
    el("p", { class: "muted", text: `Goldstein ${event.goldstein}, ` +
      `${event.quad_name || `quad class ${event.quad_class}`}, ` +
      `PLOVER ${event.plover}, ${event.modality}; coded by ${event.coder}; ` +
      `${event.mentions} mention(s).` }),
  );
  for (const mention of event.sentences || []) {
    into.append(
      highlighted(mention),
      el("p", { class: "source-line" },
        el("a", { href: `#/article/${mention.article_id}`, text: mention.title || "(untitled)" }),
        ` — ${mention.outlet || "unknown outlet"}, ${mention.published || "undated"} `,
        safeLink(mention.url, mention.url ? "source URL" : "no URL")),
      el("p", { class: "muted", text: `lexicon: ${(mention.entries || []).join(", ")}` }),
    );
  }
}

async function events(params) {
  const field = (id, label, attrs = {}) => el("label", {}, `${label} `,
    el("input", { id, value: params.get(id) || "", ...attrs }));
  const form = el("form", { id: "filter" },
    field("q", "Words in the evidence", { class: "wide" }),
    field("actor", "Actor", { list: "actor-list" }), field("dyad", "Dyad", { placeholder: "RUS-CHN" }),
    field("root", "Root", { placeholder: "14" }),
    el("label", {}, "Quad ", el("select", { id: "quad_class" }, el("option", { value: "", text: "all" }),
      ...QUADS.map(([, label], i) => el("option", { value: String(i + 1), text: label })))),
    field("since", "From", { type: "date", class: "date" }),
    field("until", "to", { type: "date", class: "date" }),
    el("label", {}, el("input", { id: "undated", type: "checkbox",
      ...(params.get("undated") === "true" ? { checked: "" } : {}) }), " undated only"),
    el("button", { type: "submit", text: "Search" }), await actorChoices());
  const results = el("div", { id: "results" });
  let offset = 0;
  const limit = 100;
  const load = async () => {
    const filters = Object.fromEntries(["q", "actor", "dyad", "root", "quad_class", "since", "until"]
      .map((id) => [id, form.querySelector(`#${id}`).value.trim()]));
    if (filters.actor) filters.actor = filters.actor.toUpperCase();
    if (filters.dyad) filters.dyad = filters.dyad.toUpperCase();
    if (form.querySelector("#undated").checked) filters.undated = "true";
    const page = await api("/api/events", { ...filters, limit, offset });
    const pager = el("p", { class: "pager" },
      el("span", { class: "muted", text: `${page.total} events; showing ` +
        `${page.total ? offset + 1 : 0}–${offset + page.items.length} ` }));
    if (offset > 0) pager.append(el("button", { type: "button", text: "previous", onclick: () => { offset -= limit; load(); } }));
    if (offset + limit < page.total) pager.append(el("button", { type: "button", text: "next", onclick: () => { offset += limit; load(); } }));
    results.replaceChildren(el("p", {}, downloads("/api/events", filters)), pager,
      eventTable(page.items));
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    offset = 0;
    load().catch((error) => results.replaceChildren(el("p", { class: "error", text: error.message })));
  });
  show(el("h2", { text: "Events" }), form, results);
  await load();
}

function pager(total, offset, shown, limit, what, turn) {
  // "120 stories; showing 51–100" with previous and next buttons that call turn(newOffset).
  const out = el("p", { class: "pager" },
    el("span", { class: "muted", text: `${total} ${what}; showing ` +
      `${total && shown ? offset + 1 : 0}–${offset + shown} ` }));
  if (offset > 0) {
    out.append(el("button", { type: "button", class: "previous", text: "previous",
      onclick: () => turn(Math.max(0, offset - limit)) }));
  }
  if (offset + limit < total) {
    out.append(el("button", { type: "button", class: "next", text: "next",
      onclick: () => turn(offset + limit) }));
  }
  return out;
}

function snippet(text, length = 160) {
  const flat = String(text || "").replace(/\s+/g, " ").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1).replace(/\s+\S*$/, "")}…`;
}

async function articles(params) {
  const form = el("form", { id: "article-search" },
    el("label", {}, "Words in the title or text ",
      el("input", { id: "q", class: "wide", value: params.get("q") || "" })),
    el("button", { type: "submit", text: "Search" }));
  const results = el("div", { id: "results" });
  const limit = 50;
  let offset = 0;
  const load = async () => {
    const q = form.querySelector("#q").value.trim();
    const page = await api("/api/articles", { q, limit, offset });
    const turn = (to) => { offset = to; load().catch(failed); };
    results.replaceChildren(
      el("p", {}, downloads("/api/articles", { q })),
      pager(page.total, offset, page.items.length, limit, "stories", turn),
      table(
        [["published", (s) => (s.published || "undated").slice(0, 10)],
         ["title", (s) => el("a", { href: `#/article/${s.id}`, text: s.title || "(untitled)" })],
         ["outlet", (s) => s.outlet || ""], ["copies", (s) => s.sources.length],
         ["text", (s) => snippet(s.body)]],
        page.items,
      ),
    );
  };
  const failed = (error) => results.replaceChildren(el("p", { class: "error", text: error.message }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    offset = 0;
    load().catch(failed);
  });
  show(el("h2", { text: "Articles" }), form, results);
  await load();
}

async function skipped(params) {
  // Everything the pipeline left out, with its reason: counts per reason, then the items.
  const all = await api("/api/skipped", { limit: 1 });
  const perStage = {};
  for (const r of all.reasons) perStage[r.stage] = (perStage[r.stage] || 0) + r.count;
  const select = el("select", { id: "stage" }, el("option", { value: "", text: `all (${all.total})` }),
    ...Object.entries(perStage).map(([stage, count]) => el("option", { value: stage,
      text: `${stage} (${count})` })));
  select.value = params.get("stage") in perStage ? params.get("stage") : "";
  const form = el("form", { id: "skip-filter" }, el("label", {}, "Stage ", select),
    el("button", { type: "submit", text: "Show" }));
  const reasons = el("div", { id: "skip-reasons" });
  const results = el("div", { id: "results" });
  const limit = 100;
  let offset = 0;
  const load = async () => {
    const stage = select.value;
    const page = await api("/api/skipped", { stage, limit, offset });
    const turn = (to) => { offset = to; load().catch(failed); };
    reasons.replaceChildren(
      el("h3", { text: `Reasons (${page.reasons.length})` }),
      table([["stage", (r) => r.stage], ["reason", (r) => r.reason], ["items", (r) => r.count]],
        page.reasons),
    );
    results.replaceChildren(
      el("h3", { text: "Items" }),
      el("p", {}, downloads("/api/skipped", { stage })),
      pager(page.total, offset, page.items.length, limit, "skipped items", turn),
      table([["stage", (i) => i.stage], ["item", (i) => i.item], ["reason", (i) => i.reason],
             ["first seen", (i) => (i.first_seen || "").slice(0, 19).replace("T", " ")]],
        page.items),
    );
  };
  const failed = (error) => results.replaceChildren(el("p", { class: "error", text: error.message }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    offset = 0;
    load().catch(failed);
  });
  select.addEventListener("change", () => form.requestSubmit());
  show(el("h2", { text: "Skipped items" }),
    el("p", { class: "muted", text: "What the pipeline left out (inputs it could not read, pages " +
      "with no article, items it could not code), and why." }),
    form, reasons, results);
  await load();
}

async function article(id) {
  const story = await api(`/api/articles/${id}`);
  show(
    el("h2", { text: story.title || "(untitled story)" }),
    el("p", { class: "muted", text: [story.byline, story.outlet, story.published]
      .filter(Boolean).join(" · ") }),
    el("p", {}, safeLink(story.url, story.url || "no URL")),
    ...story.body.split(/\n{1,}/).filter(Boolean).map((text) => el("p", { class: "body", text })),
    el("h3", { text: `Carried by ${story.sources.length} source(s)` }),
    table([["outlet", (s) => s.outlet], ["published", (s) => s.published],
           ["origin", (s) => s.origin], ["URL", (s) => safeLink(s.url)]], story.sources),
  );
}

async function network() {
  const dyads = (await api("/api/dyads", { limit: 100 })).items;
  const actors = [...new Set(dyads.flatMap((d) => [d.a, d.b]))];
  const involvement = Object.fromEntries(actors.map((a) => [a, 0]));
  for (const d of dyads) { involvement[d.a] += d.events; involvement[d.b] += d.events; }
  actors.sort((x, y) => involvement[y] - involvement[x]);
  const at = Object.fromEntries(actors.map((name, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, actors.length);
    return [name, [Math.cos(angle), Math.sin(angle)]];
  }));
  const most = Math.max(1, ...dyads.map((d) => d.events));
  const edges = dyads.map((d) => ({
    x: [at[d.a][0], (at[d.a][0] + at[d.b][0]) / 2, at[d.b][0]],
    y: [at[d.a][1], (at[d.a][1] + at[d.b][1]) / 2, at[d.b][1]],
    mode: "lines", hoverinfo: "text", customdata: [d, d, d].map(() => `${d.a}/${d.b}`),
    text: `${d.a}–${d.b}: ${d.events} events, mean Goldstein ${d.goldstein_mean}`,
    line: { width: 1 + (9 * d.events) / most, color: goldsteinColour(d.goldstein_mean) },
    showlegend: false,
  }));
  const biggest = Math.max(1, ...Object.values(involvement));
  const nodes = {
    x: actors.map((a) => at[a][0]), y: actors.map((a) => at[a][1]), text: actors,
    customdata: actors.map((a) => `actor/${a}`), hoverinfo: "text",
    mode: "markers+text", textposition: "top center", showlegend: false,
    marker: { size: actors.map((a) => 10 + (20 * involvement[a]) / biggest), color: "#1f2d3d" },
  };
  const chart = el("div", { id: "network-chart" });
  show(el("h2", { text: "Actor network" }),
    el("p", { class: "muted", text: "Node size: events; edge width: events between the pair; " +
      "edge colour: mean Goldstein (red hostile, green cooperative). Click an edge for its dyad." }),
    chart);
  await draw(chart, [...edges, nodes], {
    xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" }, margin: { t: 10 },
    hovermode: "closest",
  });
  chart.on("plotly_click", (data) => {
    const target = String(data.points[0].customdata || "");
    if (target.startsWith("actor/")) go(`#/events?actor=${target.slice(6)}`);
    else if (target) go(`#/dyad/${target}`);
  });
}

async function worldMap() {
  const actors = (await api("/api/actors", { limit: 1000 })).items
    .filter((a) => /^[A-Z]{3}$/.test(a.actor));
  const chart = el("div", { id: "map-chart" });
  show(el("h2", { text: "Events by country" }),
    el("p", { class: "muted", text: "Colour: mean Goldstein of the events a country takes part in " +
      "(red hostile, green cooperative); circles: number of events. Click a country for its events." }),
    chart);
  const most = Math.max(1, ...actors.map((a) => a.events));
  await draw(chart, [
    { type: "choropleth", locationmode: "ISO-3", locations: actors.map((a) => a.actor),
      z: actors.map((a) => a.goldstein_mean), zmin: -10, zmax: 10, colorscale: [[0, "#b03a2e"], [0.5, "#f2f2f2"], [1, "#1e8449"]],
      colorbar: { title: { text: "Goldstein" } },
      text: actors.map((a) => `${a.actor}: ${a.events} events, ` +
        `${Math.round(100 * a.conflict_share)}% conflict`),
      hoverinfo: "text", customdata: actors.map((a) => a.actor) },
    { type: "scattergeo", locationmode: "ISO-3", locations: actors.map((a) => a.actor),
      marker: { size: actors.map((a) => 6 + (30 * Math.sqrt(a.events / most))),
        color: "rgba(31,45,61,0.35)", line: { color: "#1f2d3d", width: 1 } },
      hoverinfo: "skip", showlegend: false },
  ], {
    margin: { t: 0, b: 0, l: 0, r: 0 },
    geo: { projection: { type: "natural earth" }, showframe: false, showcountries: true,
      countrycolor: "#999", showland: true, landcolor: "#eee" },
  });
  chart.on("plotly_click", (data) => {
    const code = data.points[0].customdata || data.points[0].location;
    if (code) go(`#/events?actor=${code}`);
  });
}

async function route() {
  const [path, query] = window.location.hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  const params = new URLSearchParams(query || "");
  for (const link of document.querySelectorAll("nav a")) link.classList.remove("active");
  const page = parts[0] || "overview";
  const link = document.getElementById(`nav-${page}`);
  if (link) link.classList.add("active");
  view.dataset.ready = "";
  try {
    if (page === "dyad") await dyad(parts[1], parts[2]);
    else if (page === "events") await events(params);
    else if (page === "articles") await articles(params);
    else if (page === "skipped") await skipped(params);
    else if (page === "article") await article(parts[1]);
    else if (page === "network") await network();
    else if (page === "map") await worldMap();
    else await overview();
    view.dataset.ready = page;
  } catch (error) {
    show(el("p", { class: "error", text: `Could not load: ${error.message}` }));
    view.dataset.ready = "error";
  }
}

window.addEventListener("hashchange", route);
route();
