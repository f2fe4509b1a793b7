/* The knowledge-graph view: reads the JSON block, draws it with vis-network,
 * and wires the legend, class/document filters, search and side panel.
 *
 * Every string in the data comes from untrusted documents. It reaches the
 * DOM only through textContent or as vis DOM-element tooltips built here,
 * never as markup.
 */
(function () {
  "use strict";

  // Milliseconds since navigation start, for measuring load and layout cost.
  var timings = { scriptStart: Math.round(performance.now()) };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  timings.parsed = Math.round(performance.now());
  var SVG_NS = "http://www.w3.org/2000/svg";
  var MAX_RESULTS = 12;
  var MAX_PANEL_ITEMS = 400;

  var byId = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); });
  var classStyle = new Map();
  data.classes.forEach(function (c) { classStyle.set(c.name, c); });
  var edgeById = new Map();
  var incident = new Map();
  data.nodes.forEach(function (n) { incident.set(n.id, []); });
  data.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    incident.get(e.from).push(e);
    if (e.to !== e.from) { incident.get(e.to).push(e); }
  });
  // What each document supports: (edge, evidence index) pairs.
  var derivedFrom = new Map();
  data.edges.forEach(function (e) {
    e.ev.forEach(function (i) {
      var doc = data.evidence[i].doc;
      if (doc === null) { return; }
      if (!derivedFrom.has(doc)) { derivedFrom.set(doc, new Map()); }
      var perEdge = derivedFrom.get(doc);
      if (!perEdge.has(e.id)) { perEdge.set(e.id, []); }
      perEdge.get(e.id).push(i);
    });
  });

  // ---- small DOM helpers (text only) ----
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }
  function nameOf(id) {
    var n = byId.get(id);
    return n ? n.name : id;
  }
  function sourceCount(n) { return n.docs.length; }

  // ---- tooltips: DOM elements, so vis never parses a string as HTML ----
  function tooltipFor(n) {
    var box = el("div");
    box.appendChild(el("div", n.name, "kg-tip-title"));
    function row(key, value) {
      var r = el("div", null, "kg-tip-row");
      r.appendChild(el("b", key));
      r.appendChild(document.createTextNode(value));
      box.appendChild(r);
    }
    row("class", classStyle.get(n.cls).legend);
    if (n.labels.en !== undefined) { row("English", n.labels.en); }
    if (n.labels.zh !== undefined) { row("中文", n.labels.zh); }
    Object.keys(n.labels).sort().forEach(function (lang) {
      if (lang !== "en" && lang !== "zh") { row(lang, n.labels[lang]); }
    });
    if (n.aliases.length) { row("aliases", n.aliases.join(" · ")); }
    n.facts.forEach(function (f) { row(f[0], f[1]); });
    if (n.cls === "Document") {
      var derived = derivedFrom.get(n.id);
      row("derived", (derived ? derived.size : 0) + " statements");
    } else {
      row("sources", sourceCount(n) + (sourceCount(n) === 1 ? " document" : " documents"));
    }
    return box;
  }
  function edgeTooltip(e) {
    var box = el("div");
    box.appendChild(el("div", nameOf(e.from) + " — " + e.p + " → " + nameOf(e.to), "kg-tip-title"));
    box.appendChild(el("div", e.ev.length + (e.ev.length === 1 ? " passage" : " passages"), "kg-tip-row"));
    return box;
  }

  var visNodes = data.vis.nodes.map(function (v) {
    var copy = Object.assign({}, v);
    copy.title = tooltipFor(byId.get(v.id));
    return copy;
  });
  var visEdges = data.vis.edges.map(function (v) {
    var copy = Object.assign({}, v);
    copy.title = edgeTooltip(edgeById.get(v.id));
    return copy;
  });

  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var container = document.getElementById("kg-network");
  var loading = document.getElementById("kg-loading");
  timings.dataSets = Math.round(performance.now());
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.vis.options);
  timings.constructed = Math.round(performance.now());

  var view = {
    network: network,
    nodes: nodes,
    edges: edges,
    data: data,
    stabilized: false,
    stabilizationMs: null,  // from the script's start to physics off
    timings: timings,
    iterations: null,
    physicsEnabled: true,
    selected: null,
    select: selectNode,
    search: runSearch,
    setClassVisible: setClassVisible,
    setDocumentFilter: setDocumentFilter
  };
  window.kgView = view;

  // ---- layout: settle once, then stop moving ----
  network.on("stabilizationProgress", function (p) {
    view.iterations = p.iterations;
    loading.textContent = "Laying out the graph… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  function settled() {
    if (view.stabilized) { return; }
    network.setOptions({ physics: { enabled: false } });
    view.physicsEnabled = false;
    view.stabilized = true;
    timings.stabilized = Math.round(performance.now());
    view.stabilizationMs = timings.stabilized - timings.scriptStart;
    loading.hidden = true;
    fitBesideLegend();
  }
  // Fit the graph into the part of the canvas the legend does not cover.
  function fitBesideLegend() {
    var positions = network.getPositions();
    var ids = Object.keys(positions);
    if (!ids.length) { return; }
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    ids.forEach(function (id) {
      var p = positions[id];
      minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
    });
    var legend = document.getElementById("kg-legend");
    var width = container.clientWidth, height = container.clientHeight;
    var covered = legend.offsetLeft + legend.offsetWidth + 10;
    if (covered >= width / 2) { covered = 0; }
    // Room for the outermost nodes' shapes and labels.
    var margin = 60;
    var scale = Math.min(
      (width - covered) / (maxX - minX + 2 * margin),
      height / (maxY - minY + 2 * margin),
      1.5
    );
    network.moveTo({
      position: { x: (minX + maxX) / 2 - covered / 2 / scale, y: (minY + maxY) / 2 },
      scale: scale,
      animation: false
    });
  }
  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  if (data.nodes.length === 0) { settled(); }

  // ---- legend with class toggles ----
  function shapeIcon(shape, fill, stroke, dashed) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("viewBox", "0 0 18 18");
    var s;
    function make(tag, attrs) {
      var node = document.createElementNS(SVG_NS, tag);
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
      return node;
    }
    switch (shape) {
      case "dot": s = make("circle", { cx: 9, cy: 9, r: 7 }); break;
      case "square": s = make("rect", { x: 2, y: 2, width: 14, height: 14 }); break;
      case "triangle": s = make("polygon", { points: "9,1 17,16 1,16" }); break;
      case "triangleDown": s = make("polygon", { points: "1,2 17,2 9,17" }); break;
      case "diamond": s = make("polygon", { points: "9,1 17,9 9,17 1,9" }); break;
      case "star": s = make("polygon", { points: "9,1 11.3,6.5 17,6.8 12.6,10.6 14,16.5 9,13.3 4,16.5 5.4,10.6 1,6.8 6.7,6.5" }); break;
      case "hexagon": s = make("polygon", { points: "9,1 16,5 16,13 9,17 2,13 2,5" }); break;
      case "database": s = make("path", { d: "M2,4 C2,1 16,1 16,4 L16,14 C16,17 2,17 2,14 Z" }); break;
      case "tag": s = make("path", { d: "M1,9 L6,3 H17 V15 H6 Z" }); break;
      case "box": s = make("rect", { x: 1, y: 4, width: 16, height: 10, rx: 2 }); break;
      case "ellipse": s = make("ellipse", { cx: 9, cy: 9, rx: 8, ry: 5 }); break;
      case "circle": s = make("circle", { cx: 9, cy: 9, r: 7 }); break;
      case "line":
        s = make("line", { x1: 1, y1: 9, x2: 17, y2: 9, "stroke-width": dashed ? 1.5 : 2.5 });
        if (dashed) { s.setAttribute("stroke-dasharray", "3,3"); }
        break;
      default: s = make("circle", { cx: 9, cy: 9, r: 7 });
    }
    if (shape !== "line") { s.setAttribute("fill", fill); }
    s.setAttribute("stroke", stroke);
    if (shape !== "line") { s.setAttribute("stroke-width", "1.5"); }
    svg.appendChild(s);
    return svg;
  }

  var classOn = new Map();
  var legendClasses = document.getElementById("kg-legend-classes");
  data.classes.forEach(function (c) {
    classOn.set(c.name, true);
    if (c.count === 0) { return; }
    var li = el("li");
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.cls = c.name;
    box.addEventListener("change", function () { setClassVisible(c.name, box.checked); });
    label.appendChild(box);
    label.appendChild(shapeIcon(c.shape, c.color, c.border));
    label.appendChild(el("span", c.legend));
    label.appendChild(el("span", String(c.count), "kg-count"));
    li.appendChild(label);
    legendClasses.appendChild(li);
  });
  var edgeNames = { relation: "relation (labelled) 关系", quantity: "quantity link 数值", provenance: "mentioned in / derived from 出处" };
  var legendEdges = document.getElementById("kg-legend-edges");
  data.edgeKinds.forEach(function (k) {
    var li = el("li");
    li.appendChild(shapeIcon("line", "none", k.color, k.dashed));
    li.appendChild(el("span", edgeNames[k.kind] || k.kind));
    legendEdges.appendChild(li);
  });

  // ---- filters: by class (legend) and by document ----
  var docFilter = "";
  var docSelect = document.getElementById("kg-doc-filter");
  data.nodes.filter(function (n) { return n.cls === "Document"; })
    .sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; })
    .forEach(function (d) {
      var option = el("option", d.name);
      option.value = d.id;
      docSelect.appendChild(option);
    });
  docSelect.addEventListener("change", function () { setDocumentFilter(docSelect.value); });

  function isVisible(n) {
    if (!classOn.get(n.cls)) { return false; }
    if (docFilter === "") { return true; }
    return n.id === docFilter || n.docs.indexOf(docFilter) >= 0;
  }
  function applyFilters() {
    var shown = new Set();
    var nodeUpdates = [];
    data.nodes.forEach(function (n) {
      var visible = isVisible(n);
      if (visible) { shown.add(n.id); }
      var current = nodes.get(n.id);
      if (Boolean(current.hidden) === visible) { nodeUpdates.push({ id: n.id, hidden: !visible }); }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var visible = shown.has(e.from) && shown.has(e.to);
      var current = edges.get(e.id);
      if (Boolean(current.hidden) === visible) { edgeUpdates.push({ id: e.id, hidden: !visible }); }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    view.visibleNodes = shown.size;
  }
  function setClassVisible(cls, on) {
    classOn.set(cls, Boolean(on));
    var box = legendClasses.querySelector("input[data-cls='" + cls.replace(/[^A-Za-z]/g, "") + "']");
    if (box) { box.checked = Boolean(on); }
    applyFilters();
  }
  function setDocumentFilter(docId) {
    docFilter = docId || "";
    docSelect.value = docFilter;
    applyFilters();
  }
  function resetFilters() {
    classOn.forEach(function (_, k) { classOn.set(k, true); });
    legendClasses.querySelectorAll("input").forEach(function (b) { b.checked = true; });
    docFilter = "";
    docSelect.value = "";
    applyFilters();
  }
  document.getElementById("kg-reset").addEventListener("click", function () {
    resetFilters();
    network.unselectAll();
    closePanel();
    fitBesideLegend();
  });

  // ---- search by any name: preferred labels in every language, aliases ----
  function norm(s) { return String(s).normalize("NFKC").toLowerCase().trim(); }
  var searchIndex = data.nodes.map(function (n) {
    var names = [n.name, n.label];
    Object.keys(n.labels).forEach(function (k) { names.push(n.labels[k]); });
    n.aliases.forEach(function (a) { names.push(a); });
    return { node: n, names: Array.from(new Set(names.map(norm))) };
  });
  var searchInput = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");

  function runSearch(query) {
    var q = norm(query);
    if (!q) { return []; }
    var found = [];
    searchIndex.forEach(function (entry) {
      var rank = 3;
      entry.names.forEach(function (name) {
        if (name === q) { rank = Math.min(rank, 0); }
        else if (name.indexOf(q) === 0) { rank = Math.min(rank, 1); }
        else if (name.indexOf(q) > 0) { rank = Math.min(rank, 2); }
      });
      if (rank < 3) { found.push({ node: entry.node, rank: rank }); }
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || b.node.degree - a.node.degree || (a.node.id < b.node.id ? -1 : 1);
    });
    return found;
  }
  function showResults(found) {
    results.replaceChildren();
    found.slice(0, MAX_RESULTS).forEach(function (f) {
      var li = el("li");
      var button = el("button");
      button.type = "button";
      button.appendChild(el("span", f.node.name));
      button.appendChild(el("span", classStyle.get(f.node.cls).legend, "kg-cls"));
      button.addEventListener("click", function () { selectNode(f.node.id); results.hidden = true; });
      li.appendChild(button);
      results.appendChild(li);
    });
    if (found.length > MAX_RESULTS) {
      results.appendChild(el("li", "… " + (found.length - MAX_RESULTS) + " more", "kg-more"));
    }
    if (found.length === 0 && searchInput.value.trim()) {
      results.appendChild(el("li", "no match", "kg-none"));
    }
    results.hidden = !searchInput.value.trim();
  }
  searchInput.addEventListener("input", function () {
    var found = runSearch(searchInput.value);
    showResults(found);
    // A name typed in full (any language, any alias) selects its node at once.
    if (found.length && found[0].rank === 0) { selectNode(found[0].node.id); }
  });
  searchInput.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = runSearch(searchInput.value);
      if (found.length) { selectNode(found[0].node.id); results.hidden = true; }
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });

  // ---- selection and the side panel ----
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  document.getElementById("kg-panel-close").addEventListener("click", closePanel);
  function closePanel() {
    panel.hidden = true;
    view.selected = null;
    fitCanvas();
  }
  // The canvas follows its container when the panel opens or closes.
  function fitCanvas() {
    network.setSize("100%", "100%");
    network.redraw();
  }

  function selectNode(id) {
    var n = byId.get(id);
    if (!n) { return false; }
    if (!isVisible(n)) { resetFilters(); }
    showPanel(id);  // first: opening the panel narrows the canvas
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    return true;
  }

  function nodeLink(id) {
    var n = byId.get(id);
    var button = el("button", n ? n.name : id, "kg-link");
    button.type = "button";
    button.addEventListener("click", function () { selectNode(id); });
    return button;
  }

  function citation(ev) {
    var parts = [];
    if (ev.start !== null && ev.end !== null) { parts.push("chars " + ev.start + "–" + ev.end); }
    if (ev.conf !== null) { parts.push("confidence " + ev.conf); }
    if (ev.extractor !== null) { parts.push(ev.extractor); }
    var cite = el("div", null, "kg-cite");
    if (ev.doc !== null) {
      cite.appendChild(document.createTextNode("— "));
      if (byId.has(ev.doc)) { cite.appendChild(nodeLink(ev.doc)); }
      else { cite.appendChild(document.createTextNode(ev.doc)); }
      if (parts.length) { cite.appendChild(document.createTextNode(" · ")); }
    }
    cite.appendChild(document.createTextNode(parts.join(" · ")));
    return cite;
  }

  function evidenceList(indices) {
    var list = el("ul", null, "kg-evidence");
    if (!indices.length) {
      list.appendChild(el("li", "no passage recorded", "kg-none"));
      return list;
    }
    indices.forEach(function (i) {
      var ev = data.evidence[i];
      var li = el("li");
      li.appendChild(el("blockquote", ev.text));
      li.appendChild(citation(ev));
      list.appendChild(li);
    });
    return list;
  }

  function relationLine(e) {
    var line = el("div", null, "kg-rel");
    line.appendChild(nodeLink(e.from));
    line.appendChild(el("span", e.sym ? "— " + e.p + " —" : "— " + e.p + " →", "kg-pred"));
    line.appendChild(nodeLink(e.to));
    return line;
  }

  function section(title, count) {
    return el("h3", count === undefined ? title : title + " (" + count + ")");
  }

  function header(n) {
    var frag = document.createDocumentFragment();
    frag.appendChild(el("h2", n.name));
    var style = classStyle.get(n.cls);
    var chip = el("span", style.legend, "kg-chip");
    chip.style.background = style.border;
    frag.appendChild(chip);
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); }
    if (n.labels.en !== undefined) { row("English", n.labels.en); }
    if (n.labels.zh !== undefined) { row("中文", n.labels.zh); }
    Object.keys(n.labels).sort().forEach(function (lang) {
      if (lang !== "en" && lang !== "zh") { row(lang, n.labels[lang]); }
    });
    if (n.aliases.length) { row("aliases", n.aliases.join(" · ")); }
    n.facts.forEach(function (f) { row(f[0], f[1]); });
    if (n.cls !== "Document") { row("sources", String(sourceCount(n))); }
    row("id", n.id);
    frag.appendChild(dl);
    return frag;
  }

  function byOtherName(id) {
    return function (a, b) {
      var ka = a.p + "\u0000" + nameOf(a.from === id ? a.to : a.from);
      var kb = b.p + "\u0000" + nameOf(b.from === id ? b.to : b.from);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    };
  }

  function capped(items, render, target) {
    items.slice(0, MAX_PANEL_ITEMS).forEach(function (item) { render(item, target); });
    if (items.length > MAX_PANEL_ITEMS) {
      target.appendChild(el("p", "… " + (items.length - MAX_PANEL_ITEMS) + " more not listed", "kg-more"));
    }
  }

  function entityPanel(n, body) {
    var list = incident.get(n.id).slice().sort(byOtherName(n.id));
    var relations = list.filter(function (e) { return e.kind !== "provenance"; });
    var sources = list.filter(function (e) { return e.kind === "provenance"; });
    body.appendChild(section("Relations 关系", relations.length));
    if (!relations.length) { body.appendChild(el("p", "none shown", "kg-none")); }
    capped(relations, function (e, target) {
      target.appendChild(relationLine(e));
      target.appendChild(evidenceList(e.ev));
    }, body);
    body.appendChild(section("Sources 出处", sources.length));
    if (!sources.length) { body.appendChild(el("p", "none shown", "kg-none")); }
    capped(sources, function (e, target) {
      var line = el("div", null, "kg-rel");
      line.appendChild(el("span", e.p, "kg-pred"));
      line.appendChild(nodeLink(e.from === n.id ? e.to : e.from));
      target.appendChild(line);
      target.appendChild(evidenceList(e.ev));
    }, body);
  }

  function documentPanel(n, body) {
    var perEdge = derivedFrom.get(n.id) || new Map();
    var groups = { relation: [], quantity: [], provenance: [] };
    Array.from(perEdge.keys()).forEach(function (edgeId) {
      var e = edgeById.get(edgeId);
      groups[e.kind].push({ edge: e, ev: perEdge.get(edgeId) });
    });
    Object.keys(groups).forEach(function (k) {
      groups[k].sort(function (a, b) {
        var ka = nameOf(a.edge.from) + "\u0000" + a.edge.p + "\u0000" + nameOf(a.edge.to);
        var kb = nameOf(b.edge.from) + "\u0000" + b.edge.p + "\u0000" + nameOf(b.edge.to);
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
    });
    function render(item, target) {
      target.appendChild(relationLine(item.edge));
      target.appendChild(evidenceList(item.ev));
    }
    body.appendChild(section("Derived from this document 来自本文", perEdge.size));
    body.appendChild(section("Relations stated here", groups.relation.length));
    capped(groups.relation, render, body);
    body.appendChild(section("Quantities", groups.quantity.length));
    capped(groups.quantity, render, body);
    body.appendChild(section("Mentions", groups.provenance.length));
    capped(groups.provenance, render, body);
  }

  function showPanel(id) {
    var n = byId.get(id);
    if (!n) { return; }
    panelBody.replaceChildren();
    panelBody.appendChild(header(n));
    if (n.cls === "Document") { documentPanel(n, panelBody); }
    else { entityPanel(n, panelBody); }
    var wasHidden = panel.hidden;
    panel.hidden = false;
    panel.scrollTop = 0;
    view.selected = id;
    if (wasHidden) { fitCanvas(); }
  }
  view.showPanel = showPanel;

  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(params.nodes[0]); }
  });
})();
