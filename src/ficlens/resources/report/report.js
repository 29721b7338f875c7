// ficlens report: builds the page from the embedded analysis.
// Story text and metadata only ever reach the DOM through textContent and
// text nodes (never innerHTML), so nothing in a story can become markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ficlens-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var chars = {};
  data.characters.forEach(function (c) { chars[c.id] = c; });

  function el(tag, attrs) {
    var node = document.createElement(tag);
    var key;
    for (key in attrs || {}) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "cls") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    return node;
  }
  function name(id) { return id && chars[id] ? chars[id].name : "unknown"; }
  function colour(node, id) { if (id && chars[id]) node.style.setProperty("--c", chars[id].colour); }

  // ---- header
  var byline = [];
  if (data.work.authors.length) byline.push("by " + data.work.authors.join(", "));
  if (data.work.tags.Fandoms.length) byline.push(data.work.tags.Fandoms.join(", "));
  byline.push(data.text.split(/\s+/).filter(Boolean).length + " words");
  document.getElementById("byline").textContent = byline.join(" · ");

  // ---- story text
  var text = data.text;
  var segments = [];
  data.quotes.forEach(function (q) { segments.push({ start: q.start, end: q.end, quote: q }); });
  data.thoughts.forEach(function (t) { segments.push({ start: t[0], end: t[1], thought: t }); });
  segments.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
  var mentions = data.mentions.slice().sort(function (a, b) { return a[0] - b[0]; });
  var mi = 0;
  var quoteNodes = [], thoughtNodes = [], mentionNodes = [], paraNodes = [], headNodes = [];

  function addText(parent, start, end) {
    // Plain text in [start, end), with the mentions that fall wholly inside it.
    while (mi < mentions.length && mentions[mi][0] < start) mi++;
    var pos = start;
    while (mi < mentions.length && mentions[mi][0] < end) {
      var m = mentions[mi++];
      if (m[1] > end || m[0] < pos) continue;
      if (m[0] > pos) parent.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var span = el("span", { cls: "m", "data-char": m[2], "data-kind": m[3], text: text.slice(m[0], m[1]) });
      colour(span, m[2]);
      mentionNodes.push(span);
      parent.appendChild(span);
      pos = m[1];
    }
    if (end > pos) parent.appendChild(document.createTextNode(text.slice(pos, end)));
  }

  var container = document.getElementById("text");
  var sceneAt = 0, chapterAt = -1, si = 0;
  data.paragraphs.forEach(function (p) {
    var start = p[0], end = p[1];
    while (chapterAt + 1 < data.chapters.length && data.chapters[chapterAt + 1].start <= start) {
      chapterAt++;
      var ch = data.chapters[chapterAt];
      var title = ch.title || (data.chapters.length > 1 ? "Chapter " + (chapterAt + 1) : null);
      if (title) {
        var h = el("h3", { cls: "chapter-title", id: "ch" + (chapterAt + 1), text: title });
        headNodes.push(h);
        container.appendChild(h);
      }
    }
    while (sceneAt < data.scenes.length && data.scenes[sceneAt].start <= start) {
      var s = data.scenes[sceneAt++];
      var head = el("p", { cls: "scene-head", id: s.id },
        "Scene " + s.id.slice(1) + " · POV " + (s.pov ? name(s.pov) : "none") + " · " +
        (s.person || "?") + " person · " + (s.tense || "?") + " tense");
      headNodes.push(head);
      container.appendChild(head);
    }
    var para = el("p");
    var pos = start;
    while (si < segments.length && segments[si].end <= start) si++;
    while (si < segments.length && segments[si].start < end) {
      var seg = segments[si++];
      if (seg.start < pos || seg.end > end) continue;
      addText(para, pos, seg.start);
      var node;
      if (seg.quote) {
        var q = seg.quote;
        node = el("span", { cls: "q" + (q.speaker ? "" : " unknown"), tabindex: "0", "data-id": q.id,
          "data-speaker": q.speaker || "" });
        colour(node, q.speaker);
        quoteNodes.push(node);
      } else {
        node = el("span", { cls: "t", tabindex: "0", "data-char": seg.thought[2] || "" });
        thoughtNodes.push(node);
      }
      node.ficlens = seg;
      addText(node, seg.start, seg.end);
      para.appendChild(node);
      pos = seg.end;
    }
    addText(para, pos, end);
    paraNodes.push(para);
    container.appendChild(para);
  });

  // ---- tooltip
  var tip = document.getElementById("tip");
  function describe(seg) {
    var rows = [];
    if (seg.quote) {
      var q = seg.quote;
      rows.push(["Speaker", name(q.speaker)]);
      rows.push(["To", q.addressees.length ? q.addressees.map(name).join(", ") : "—"]);
      rows.push(["Kind", q.kind || "—"]);
      rows.push(["Confidence", q.confidence.toFixed(2)]);
    } else {
      rows.push(["Thought", name(seg.thought[2])]);
    }
    return rows;
  }
  function showTip(node) {
    tip.textContent = "";
    describe(node.ficlens).forEach(function (row, i) {
      if (i) tip.appendChild(el("br"));
      tip.appendChild(el("b", { text: row[0] + ": " }));
      tip.appendChild(document.createTextNode(row[1]));
    });
    tip.hidden = false;
    var r = node.getBoundingClientRect();
    var left = Math.max(4, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 4));
    tip.style.left = left + "px";
    tip.style.top = (window.scrollY + r.bottom + 6) + "px";
    node.setAttribute("aria-describedby", "tip");
  }
  function hideTip(node) { tip.hidden = true; if (node) node.removeAttribute("aria-describedby"); }
  function target(event) {
    var node = event.target;
    while (node && node !== container) {
      if (node.ficlens) return node;
      node = node.parentNode;
    }
    return null;
  }
  ["mouseover", "focusin"].forEach(function (type) {
    container.addEventListener(type, function (e) { var n = target(e); if (n) showTip(n); });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    container.addEventListener(type, function (e) { var n = target(e); if (n) hideTip(n); });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hideTip(null); });

  // ---- selection: highlight one character's lines and mentions
  var selected = null;
  var castButtons = {}, nodeGroups = {};
  var status = document.getElementById("status");
  var clear = document.getElementById("clear");
  var only = document.getElementById("only");
  function select(id) {
    selected = id === selected ? null : id;
    document.body.classList.toggle("filtering", !!selected);
    document.body.classList.toggle("only", !!selected && only.checked);
    var lines = 0;
    quoteNodes.forEach(function (n) {
      var hit = !!selected && n.getAttribute("data-speaker") === selected;
      if (hit) lines++;
      n.classList.toggle("hit", hit);
      n.classList.toggle("dim", !!selected && !hit);
    });
    thoughtNodes.forEach(function (n) {
      var hit = !!selected && n.getAttribute("data-char") === selected;
      n.classList.toggle("hit", hit);
      n.classList.toggle("dim", !!selected && !hit);
    });
    var mentioned = 0;
    mentionNodes.forEach(function (n) {
      var hit = !!selected && n.getAttribute("data-char") === selected;
      if (hit) mentioned++;
      n.classList.toggle("hit", hit);
    });
    paraNodes.forEach(function (p) { p.classList.toggle("off", !!selected && !p.querySelector(".q.hit")); });
    headNodes.forEach(function (h) { h.classList.toggle("off", !!selected); });
    Object.keys(castButtons).forEach(function (cid) {
      castButtons[cid].setAttribute("aria-pressed", String(cid === selected));
      castButtons[cid].closest("tr").classList.toggle("selected", cid === selected);
    });
    Object.keys(nodeGroups).forEach(function (cid) {
      nodeGroups[cid].classList.toggle("selected", cid === selected);
      nodeGroups[cid].setAttribute("aria-pressed", String(cid === selected));
    });
    clear.disabled = !selected;
    status.textContent = selected
      ? name(selected) + ": " + lines + " line" + (lines === 1 ? "" : "s") + " and " + mentioned + " mention" +
        (mentioned === 1 ? "" : "s") + " highlighted"
      : "";
  }
  clear.addEventListener("click", function () { if (selected) select(selected); });
  only.addEventListener("change", function () {
    document.body.classList.toggle("only", !!selected && only.checked);
  });

  // ---- cast table
  var castBody = document.querySelector("#cast-table tbody");
  data.characters.forEach(function (c) {
    var button = el("button", { type: "button", cls: "who", "aria-pressed": "false", "data-char": c.id, text: c.name });
    colour(button, c.id);
    button.addEventListener("click", function () { select(c.id); });
    castButtons[c.id] = button;
    castBody.appendChild(el("tr", null,
      el("th", { scope: "row" }, button),
      el("td", { text: c.aliases.filter(function (a) { return a !== c.name; }).join(", ") }),
      el("td", { text: c.pronouns.join("/") }),
      el("td", { cls: "num", text: String(c.lines) }),
      el("td", { cls: "num", text: String(c.words) }),
      el("td", { cls: "num", text: String(c.mentions) })));
  });

  // ---- interaction network (SVG, circular layout)
  (function () {
    var shown = data.characters.filter(function (c) { return c.network; });
    var holder = document.getElementById("network-svg");
    if (shown.length < 2) { holder.appendChild(el("p", { cls: "muted", text: "Fewer than two characters." })); return; }
    var W = 480, H = 360, cx = W / 2, cy = H / 2, R = Math.min(W, H) / 2 - 55;
    var pos = {};
    shown.forEach(function (c, i) {
      var a = -Math.PI / 2 + 2 * Math.PI * i / shown.length;
      pos[c.id] = [cx + R * Math.cos(a), cy + R * Math.sin(a)];
    });
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "group", "aria-label": "Character interaction network" });
    var maxD = 1, maxS = 1;
    data.edges.forEach(function (e) { maxD = Math.max(maxD, e.dialogue); maxS = Math.max(maxS, e.scenes); });
    data.edges.forEach(function (e) {
      if (!pos[e.a] || !pos[e.b]) return;
      var a = pos[e.a], b = pos[e.b];
      if (e.scenes) {
        root.appendChild(svg("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: "#8a8a8a",
          "stroke-dasharray": "4 4", "stroke-width": 1 + 3 * e.scenes / maxS }));
      }
      if (e.dialogue) {
        var line = svg("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: "#333",
          "stroke-width": 1.5 + 8 * e.dialogue / maxD, "stroke-opacity": 0.75 });
        var t = svg("title", {});
        t.textContent = name(e.a) + " ↔ " + name(e.b) + ": " + e.dialogue + " lines to each other, " + e.scenes + " scenes together";
        line.appendChild(t);
        root.appendChild(line);
      }
    });
    var maxP = 1;
    shown.forEach(function (c) { maxP = Math.max(maxP, c.mentions + 3 * c.lines); });
    shown.forEach(function (c) {
      var p = pos[c.id];
      var g = svg("g", { cls: "node", tabindex: 0, role: "button", "aria-pressed": "false", "data-char": c.id,
        "aria-label": c.name + ": " + c.lines + " lines, " + c.mentions + " mentions" });
      g.setAttribute("class", "node");
      g.appendChild(svg("circle", { cx: p[0], cy: p[1], r: 7 + 13 * Math.sqrt((c.mentions + 3 * c.lines) / maxP),
        fill: c.colour, stroke: "#fff", "stroke-width": 2 }));
      var label = svg("text", { x: p[0], y: p[1] + (p[1] < cy ? -24 : 32), "text-anchor": "middle" });
      label.textContent = c.name;
      g.appendChild(label);
      g.addEventListener("click", function () { select(c.id); });
      g.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(c.id); }
      });
      nodeGroups[c.id] = g;
      root.appendChild(g);
    });
    holder.appendChild(root);
  })();

  // ---- scene timeline and chapter navigation
  (function () {
    var nav = document.getElementById("chapter-nav");
    data.chapters.forEach(function (ch, i) {
      if (document.getElementById("ch" + (i + 1))) {
        nav.appendChild(el("a", { href: "#ch" + (i + 1), text: ch.title || "Chapter " + (i + 1) }));
      }
    });
    if (!nav.childNodes.length) nav.hidden = true;
    var bar = document.getElementById("scene-bar");
    var body = document.querySelector("#scene-table tbody");
    data.scenes.forEach(function (s) {
      var label = "Scene " + s.id.slice(1) + ", POV " + (s.pov ? name(s.pov) : "none") + ", " +
        (s.person || "unknown") + " person, " + (s.tense || "unknown") + " tense";
      var seg = el("a", { href: "#" + s.id, "aria-label": label, title: label });
      seg.style.flexGrow = String(Math.max(1, s.end - s.start));
      colour(seg, s.pov);
      bar.appendChild(seg);
      var pov = el("td");
      if (s.pov) { var sw = el("span", { cls: "swatch" }); colour(sw, s.pov); pov.appendChild(sw); }
      pov.appendChild(document.createTextNode(s.pov ? name(s.pov) : "—"));
      var chapter = data.chapters[s.chapter];
      body.appendChild(el("tr", null,
        el("td", null, el("a", { href: "#" + s.id, text: s.id })),
        el("td", { text: chapter && chapter.title ? chapter.title : String(s.chapter + 1) }),
        pov,
        el("td", { text: s.person || "—" }),
        el("td", { text: s.tense || "—" })));
    });
  })();

  // ---- evidence: mark the paragraphs that hold a tag's passages
  function showEvidence(t) {
    var first = null, marked = 0;
    paraNodes.forEach(function (node, k) {
      var p = data.paragraphs[k];
      var hit = t.evidence.passages.some(function (e) { return e.start < p[1] && e.end > p[0]; });
      node.classList.toggle("ev", hit);
      if (hit) { marked++; first = first || node; }
    });
    status.textContent = "Evidence for " + t.tag + ": " + marked + " paragraph" + (marked === 1 ? "" : "s") + " marked in the story";
    if (first) { first.setAttribute("tabindex", "-1"); first.scrollIntoView({ block: "center" }); first.focus({ preventScroll: true }); }
  }

  // ---- tags: suggested, and the work's own beside them
  (function () {
    var columns = document.getElementById("tag-columns");
    var matched = {};
    data.tags.agreement.forEach(function (a) {
      a.matched.forEach(function (m) { matched["s:" + m.suggested] = true; matched["w:" + m.work] = true; });
    });
    var suggested = el("div", null, el("h3", { text: "Suggested" }));
    var list = el("ul", { cls: "tag-list" });
    if (!data.tags.suggestions.length) list.appendChild(el("li", { cls: "muted", text: "No tags suggested." }));
    data.tags.suggestions.forEach(function (t) {
      var counts = Object.keys(t.evidence.counts).map(function (k) {
        return (chars[k] ? chars[k].name : k.replace(/_/g, " ")) + " " + t.evidence.counts[k];
      });
      var n = t.evidence.passages.length;
      var show = el("button", { type: "button", cls: "evidence", text: "show " + n + " passage" + (n === 1 ? "" : "s") });
      show.disabled = !n;
      show.addEventListener("click", function () { showEvidence(t); });
      list.appendChild(el("li", null,
        el("span", { cls: "tag" + (matched["s:" + t.tag] ? " matched" : ""), text: t.tag }), " ",
        el("span", { cls: "tag-meta", text: t.kind + " · score " + t.score.toFixed(2) + " · " + counts.join(", ") + " · " }),
        show));
    });
    suggested.appendChild(list);
    columns.appendChild(suggested);
    var own = data.work.tags;
    var ownKeys = Object.keys(own).filter(function (k) { return own[k].length; });
    if (ownKeys.length) {
      columns.classList.add("two");
      var theirs = el("div", null, el("h3", { text: "The work's own tags" }));
      ownKeys.forEach(function (k) {
        var ul = el("ul", { cls: "tag-list", "aria-label": k });
        own[k].forEach(function (tag) {
          ul.appendChild(el("li", null, el("span", { cls: "tag" + (matched["w:" + tag] ? " matched" : ""), text: tag }),
            matched["w:" + tag] ? el("span", { cls: "tag-meta", text: " ✓ suggested too" }) : null));
        });
        theirs.appendChild(el("p", { cls: "tag-meta", text: k }));
        theirs.appendChild(ul);
      });
      columns.appendChild(theirs);
    }
    var agreement = document.getElementById("agreement");
    if (data.tags.agreement.length) {
      var table = el("table", null, el("thead", null, el("tr", null,
        el("th", { scope: "col", text: "Agreement" }), el("th", { scope: "col", cls: "num", text: "Precision" }),
        el("th", { scope: "col", cls: "num", text: "Recall" }), el("th", { scope: "col", text: "Matched" }))));
      var tb = el("tbody");
      data.tags.agreement.forEach(function (a) {
        function pct(x) { return x === null ? "—" : Math.round(100 * x) + "%"; }
        tb.appendChild(el("tr", null, el("th", { scope: "row", text: a.kind }), el("td", { cls: "num", text: pct(a.precision) }),
          el("td", { cls: "num", text: pct(a.recall) }),
          el("td", { text: a.matched.map(function (m) { return m.suggested + " = " + m.work; }).join("; ") || "—" })));
      });
      table.appendChild(tb);
      agreement.appendChild(el("div", { cls: "scroll" }, table));
    }
  })();
})();
