// Trailhound investigation console: search -> neighborhood graph -> details -> timeline,
// all through the public GraphQL API (the same one dashboards and the SOAR app use).
import cytoscape from "../vendor/cytoscape.esm.min.mjs";

const ENTITY_TYPES = [
  "EC2_INSTANCE", "AWS_ROLE_SESSION", "AWS_ROLE", "AWS_USER", "IP_ADDRESS", "S3_BUCKET",
  "ACCESS_KEY", "FINDING", "AWS_ACCOUNT", "FEDERATED_USER", "USER_AGENT", "NETWORK_INTERFACE",
];
const TIMELINE_KINDS = [
  "NETWORK_OUTBOUND", "NETWORK_INBOUND", "NETWORK_REJECTED", "API_CALL", "FAILED_API_CALL",
  "ROLE_ASSUMPTION", "LOGIN", "FINDING",
];
const COLORS = {
  EC2_INSTANCE: "#2f6fed", AWS_ROLE_SESSION: "#7a5af8", AWS_ROLE: "#9e77ed", AWS_USER: "#6941c6",
  IP_ADDRESS: "#0e9384", S3_BUCKET: "#dc6803", ACCESS_KEY: "#b54708", FINDING: "#d92d20",
  AWS_ACCOUNT: "#344054", FEDERATED_USER: "#c11574", USER_AGENT: "#667085",
  NETWORK_INTERFACE: "#1570ef", API_OPERATION: "#84adff",
};

const $ = (id) => document.getElementById(id);
const state = { center: null, selected: null, timelineCursor: null, timelineEntity: null };

// ---- transport -------------------------------------------------------------------------
async function gql(query, variables) {
  const headers = { "content-type": "application/json" };
  const key = localStorage.getItem("trailhound.apiKey");
  if (key) headers.authorization = `ApiKey ${key}`;
  const resp = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  if (resp.status === 401) throw new Error("unauthorized: set an API key");
  const body = await resp.json();
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    throw new Error(`${(e.extensions && e.extensions.code) || "ERROR"}: ${e.message}`);
  }
  return body.data;
}

function notify(text, isError = false) {
  const el = $("status");
  el.textContent = text;
  el.className = `show${isError ? " error" : ""}`;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { el.className = ""; }, isError ? 6000 : 1800);
}

// ---- scope -----------------------------------------------------------------------------
function hourFloor(date) { const d = new Date(date); d.setUTCMinutes(0, 0, 0); return d; }
function toLocalInput(d) { return d.toISOString().slice(0, 16); }
function initScope() {
  const params = new URLSearchParams(location.search);
  const end = params.get("end") ? new Date(params.get("end")) : new Date(hourFloor(Date.now()).getTime() + 3600e3);
  const start = params.get("start") ? new Date(params.get("start")) : new Date(end.getTime() - 24 * 3600e3);
  $("scope-start").value = toLocalInput(start);
  $("scope-end").value = toLocalInput(end);
}
function scope() {
  return { start: `${$("scope-start").value}:00Z`, end: `${$("scope-end").value}:00Z` };
}

// ---- search ----------------------------------------------------------------------------
const SEARCH = `query Search($type: EntityType!, $text: String!) {
  search(type: $type, text: $text, first: 25) {
    totalCount edges { node { key id type displayName lastSeen } }
  }
}`;

async function runSearch(event) {
  if (event) event.preventDefault();
  const type = $("search-type").value;
  const text = $("search-text").value.trim();
  try {
    const data = await gql(SEARCH, { type, text });
    const list = $("result-list");
    list.replaceChildren();
    for (const { node } of data.search.edges) {
      const li = document.createElement("li");
      li.dataset.key = node.key;
      li.innerHTML = `<span class="type">${node.type}</span>`;
      li.append(document.createTextNode(node.displayName));
      li.addEventListener("click", () => openEntity(node.type, node.id));
      list.append(li);
    }
    if (!data.search.edges.length) list.innerHTML = "<li class='hint'>No match.</li>";
    if (data.search.edges.length === 1 && text) openEntity(data.search.edges[0].node.type, data.search.edges[0].node.id);
  } catch (err) { notify(err.message, true); }
}

// ---- neighborhood graph ---------------------------------------------------------------
const NEIGHBORHOOD = `query Neighborhood($entity: EntityInput!, $scope: ScopeInput, $hops: Int!) {
  neighborhood(entity: $entity, scope: $scope, hops: $hops, limitPerEdgeType: 15) {
    center { key id type displayName ... on Finding { findingType } }
    nodes { distance entity { key id type displayName ... on Finding { findingType } } }
    edges {
      type sourceKey targetKey count firstSeen lastSeen
      network { bytesIn bytesOut accepted rejected ports { direction localPort remotePort protocol count bytesOut bytesIn } }
      calls { success failure actions }
      finding { maxSeverity findingTypes }
    }
    groups { type centerKey direction totalCount moreCount }
  }
}`;

const cy = cytoscape({
  container: $("graph"),
  wheelSensitivity: 0.3,
  style: [
    { selector: "node", style: {
      "background-color": (n) => COLORS[n.data("type")] || "#98a2b3", label: "data(label)",
      "font-size": 9, "text-valign": "bottom", "text-margin-y": 3, width: 22, height: 22,
      "text-wrap": "ellipsis", "text-max-width": 140 } },
    { selector: "node.center", style: { width: 34, height: 34, "border-width": 3, "border-color": "#101828" } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#fdb022" } },
    { selector: "edge", style: {
      width: (e) => Math.min(1 + Math.log10(1 + e.data("count")), 6), "curve-style": "bezier",
      "target-arrow-shape": "triangle", "line-color": "#98a2b3", "target-arrow-color": "#98a2b3",
      label: "data(label)", "font-size": 7, color: "#475467", "text-rotation": "autorotate" } },
  ],
});

function edgeLabel(edge) {
  if (edge.network) {
    const port = edge.network.ports[0];
    return `${edge.type} ${port ? `:${port.remotePort ?? "-"}` : ""} ${fmtBytes(edge.network.bytesOut)}↑`;
  }
  if (edge.calls) return `${edge.type} ${edge.calls.success}✓ ${edge.calls.failure}✗`;
  return `${edge.type} ×${edge.count}`;
}

function mergeNeighborhood(nb, reset) {
  if (reset) cy.elements().remove();
  const add = [];
  const all = [{ entity: nb.center, distance: 0 }, ...nb.nodes];
  for (const { entity } of all) {
    if (cy.getElementById(entity.key).empty()) {
      // Findings read better by their type than by their 32-hex id.
      const label = entity.findingType || entity.displayName;
      add.push({ group: "nodes", data: { id: entity.key, label, type: entity.type, entityId: entity.id } });
    }
  }
  for (const edge of nb.edges) {
    const id = `${edge.type}|${edge.sourceKey}|${edge.targetKey}`;
    if (cy.getElementById(id).empty()) {
      add.push({ group: "edges", data: { id, source: edge.sourceKey, target: edge.targetKey, count: edge.count, label: edgeLabel(edge), edge } });
    }
  }
  cy.add(add);
  cy.nodes().removeClass("center");
  cy.getElementById(nb.center.key).addClass("center");
  cy.layout({ name: "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 90 }).run();
  // The canvas is opaque to the DOM; these attributes let browser tests (and people) read the graph.
  $("graph").dataset.nodes = String(cy.nodes().length);
  $("graph").dataset.nodeKeys = cy.nodes().map((n) => n.id()).join(" ");
  const hidden = nb.groups.filter((g) => g.moreCount > 0).map((g) => `${g.type} ${g.direction.toLowerCase()}: +${g.moreCount} more`);
  $("truncation").textContent = hidden.length ? `Top edges shown; not shown: ${hidden.join(", ")}` : "All edges in scope shown.";
}

async function loadNeighborhood(type, id, reset) {
  const data = await gql(NEIGHBORHOOD, { entity: { type, id }, scope: scope(), hops: Number($("hops").value) });
  mergeNeighborhood(data.neighborhood, reset);
  return data.neighborhood;
}

async function openEntity(type, id) {
  try {
    const nb = await loadNeighborhood(type, id, true);
    state.center = { type, id };
    $("graph-title").textContent = `${type} ${nb.center.displayName}`;
    selectNode(cy.getElementById(nb.center.key));
    await loadTimeline({ type, id }, true);
  } catch (err) { notify(err.message, true); }
}

// ---- details ---------------------------------------------------------------------------
function row(name, value) { return `<tr><td>${name}</td><td>${escapeHtml(String(value ?? "-"))}</td></tr>`; }
function escapeHtml(s) { return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c])); }
function fmtBytes(n) {
  if (n == null) return "-";
  const units = ["B", "KB", "MB", "GB", "TB"]; let i = 0; let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
  return `${v.toFixed(v < 10 && i ? 1 : 0)}${units[i]}`;
}

function portRows(ports) {
  // One row per (direction, service port): the ephemeral side is shown as "*".
  return ports.slice(0, 4).map((p) => `${p.direction.toLowerCase()} ${p.localPort ?? "*"}→${p.remotePort ?? "*"}/${p.protocol ?? "?"} ×${p.count}`).join("; ");
}

const ANOMALY = `query Anomaly($entity: EntityInput!, $scope: ScopeInput) {
  profile(entity: $entity, scope: $scope) {
    entity { anomaly(scope: $scope) { score severity topFactors(first: 8) { points indicator { type summary } } } }
    newBehavior { apiCalls { value count service } countries { value } asOrganizations { value } userAgents { value } remoteIps { value count } baselineEmpty }
  }
}`;

async function loadAnomaly(type, id) {
  const target = $("anomaly");
  if (!target) return;
  try {
    const data = await gql(ANOMALY, { entity: { type, id }, scope: scope() });
    const a = data.profile.entity.anomaly;
    const nb = data.profile.newBehavior;
    let html = "<h2>Anomaly</h2>";
    html += a ? `<p><span class="severity sev-${a.severity}">${a.severity}</span> score ${a.score.toFixed(0)}/100</p><table>${a.topFactors.map((f) => row(`${f.indicator.type} +${f.points.toFixed(0)}`, f.indicator.summary)).join("")}</table>` : "<p class='hint'>No score.</p>";
    html += `<h2>New in scope${nb.baselineEmpty ? " (no baseline)" : ""}</h2><table>`;
    const list = (items, fmt) => items.slice(0, 8).map(fmt).join(", ");
    if (nb.apiCalls.length) html += row("API calls", list(nb.apiCalls, (v) => `${v.service ? v.service.split(".")[0] + ":" : ""}${v.value} ×${v.count}`));
    if (nb.remoteIps.length) html += row("remote IPs", list(nb.remoteIps, (v) => `${v.value} ×${v.count}`));
    if (nb.countries.length) html += row("countries", list(nb.countries, (v) => v.value));
    if (nb.asOrganizations.length) html += row("ASOs", list(nb.asOrganizations, (v) => v.value));
    if (nb.userAgents.length) html += row("user agents", list(nb.userAgents, (v) => v.value));
    html += "</table>";
    target.innerHTML = html;
  } catch (err) { target.innerHTML = `<p class="hint">${escapeHtml(err.message)}</p>`; }
}

function selectNode(node) {
  if (!node || node.empty()) return;
  cy.elements().unselect(); node.select();
  const { type, entityId, label } = node.data();
  state.selected = { type, id: entityId };
  $("details-title").textContent = `${type}`;
  const edges = node.connectedEdges().map((e) => e.data("edge"));
  let html = `<table>${row("id", entityId)}${row("name", label)}</table>`;
  html += `<div class="actions"><button id="expand">Expand</button><button id="show-timeline">Timeline</button><button id="recenter">Center</button></div>`;
  html += `<div id="anomaly"><p class="hint">Scoring…</p></div>`;
  html += "<h2>Edges</h2><table>";
  for (const e of edges) {
    const other = e.sourceKey === node.id() ? `→ ${e.targetKey}` : `← ${e.sourceKey}`;
    let measure = `×${e.count}`;
    if (e.network) measure += ` out ${fmtBytes(e.network.bytesOut)} in ${fmtBytes(e.network.bytesIn)} rej ${e.network.rejected} ports ${portRows(e.network.ports)}`;
    if (e.calls) measure += ` ok ${e.calls.success} fail ${e.calls.failure} ${e.calls.actions.join(", ")}`;
    if (e.finding) measure += ` sev ${e.finding.maxSeverity ?? "-"} ${e.finding.findingTypes.join(", ")}`;
    html += row(e.type, `${other} ${measure} (${(e.firstSeen || "").slice(0, 16)} – ${(e.lastSeen || "").slice(0, 16)})`);
  }
  html += "</table>";
  $("details-body").innerHTML = html;
  $("expand").onclick = () => loadNeighborhood(type, entityId, false).catch((err) => notify(err.message, true));
  $("show-timeline").onclick = () => loadTimeline({ type, id: entityId }, true).catch((err) => notify(err.message, true));
  $("recenter").onclick = () => openEntity(type, entityId);
  if (type !== "API_OPERATION") loadAnomaly(type, entityId);
  else $("anomaly").replaceChildren();
}
cy.on("tap", "node", (evt) => selectNode(evt.target));
cy.on("dbltap", "node", (evt) => loadNeighborhood(evt.target.data("type"), evt.target.data("entityId"), false).catch((err) => notify(err.message, true)));

// ---- timeline --------------------------------------------------------------------------
const TIMELINE = `query Timeline($entity: EntityInput!, $scope: ScopeInput, $kinds: [TimelineKind!], $after: String) {
  timeline(entity: $entity, scope: $scope, kinds: $kinds, first: 50, after: $after) {
    totalCount intervalSeconds
    histogram { start count }
    pageInfo { hasNextPage endCursor }
    edges { node { id timestamp kinds action provider outcome actor sourceIp remoteIp localPort remotePort protocol direction bytesIn bytesOut ruleName severity message } }
  }
}`;

function selectedKinds() {
  return [...document.querySelectorAll("#timeline-kinds input:checked")].map((i) => i.value);
}

function drawHistogram(buckets) {
  const svg = $("histogram");
  const width = svg.clientWidth || 800; const height = 90;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  if (!buckets || !buckets.length) return;
  const max = Math.max(...buckets.map((b) => b.count), 1);
  const w = width / buckets.length;
  buckets.forEach((b, i) => {
    const h = (b.count / max) * (height - 16);
    const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    rect.setAttribute("x", String(i * w)); rect.setAttribute("y", String(height - 14 - h));
    rect.setAttribute("width", String(Math.max(w - 1, 1))); rect.setAttribute("height", String(h));
    const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = `${b.start}: ${b.count}`; rect.append(title);
    svg.append(rect);
  });
  for (const [i, b] of [[0, buckets[0]], [buckets.length - 1, buckets[buckets.length - 1]]]) {
    const t = document.createElementNS("http://www.w3.org/2000/svg", "text");
    t.setAttribute("x", String(i === 0 ? 0 : width - 110)); t.setAttribute("y", String(height - 2));
    t.textContent = b.start.slice(0, 16); svg.append(t);
  }
}

async function loadTimeline(entity, reset) {
  if (reset) { state.timelineCursor = null; state.timelineEntity = entity; $("timeline-table").tBodies[0].replaceChildren(); }
  const data = await gql(TIMELINE, { entity: state.timelineEntity, scope: scope(), kinds: selectedKinds(), after: state.timelineCursor });
  const tl = data.timeline;
  $("timeline-entity").textContent = `— ${state.timelineEntity.type} ${state.timelineEntity.id} (${tl.totalCount} events)`;
  if (reset) drawHistogram(tl.histogram);
  const body = $("timeline-table").tBodies[0];
  for (const { node: ev } of tl.edges) {
    const tr = document.createElement("tr");
    const action = ev.ruleName ? `${ev.ruleName} (sev ${ev.severity ?? "-"})` : [ev.provider, ev.action].filter(Boolean).join(" ");
    const cells = [ev.timestamp.replace("T", " ").slice(0, 19), ev.kinds.join(" "), action, ev.actor,
      ev.remoteIp || ev.sourceIp, ev.remotePort != null ? `${ev.localPort ?? "-"}→${ev.remotePort}/${ev.protocol ?? ""}` : "",
      ev.bytesOut != null ? `${fmtBytes(ev.bytesOut)} / ${fmtBytes(ev.bytesIn)}` : "", ev.outcome];
    for (const c of cells) { const td = document.createElement("td"); td.textContent = c ?? ""; tr.append(td); }
    if (ev.outcome === "failure") tr.className = "failure";
    body.append(tr);
  }
  state.timelineCursor = tl.pageInfo.endCursor;
  $("timeline-more").hidden = !tl.pageInfo.hasNextPage;
}

// ---- wiring ----------------------------------------------------------------------------
function init() {
  for (const t of ENTITY_TYPES) $("search-type").append(new Option(t, t));
  for (const k of TIMELINE_KINDS) {
    const label = document.createElement("label");
    label.innerHTML = `<input type="checkbox" value="${k}"> ${k}`;
    label.querySelector("input").addEventListener("change", () => state.timelineEntity && loadTimeline(state.timelineEntity, true).catch((err) => notify(err.message, true)));
    $("timeline-kinds").append(label);
  }
  initScope();
  $("api-key").value = localStorage.getItem("trailhound.apiKey") || "";
  $("api-key").addEventListener("change", (e) => localStorage.setItem("trailhound.apiKey", e.target.value.trim()));
  $("search-form").addEventListener("submit", runSearch);
  $("timeline-more").addEventListener("click", () => loadTimeline(state.timelineEntity, false).catch((err) => notify(err.message, true)));
  $("reset-graph").addEventListener("click", () => state.center && openEntity(state.center.type, state.center.id));
  const params = new URLSearchParams(location.search);
  if (params.get("type")) $("search-type").value = params.get("type");
  if (params.get("q")) { $("search-text").value = params.get("q"); runSearch(); }
}
init();
window.trailhound = { gql, openEntity, cy, state };
