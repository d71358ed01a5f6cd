// The query page: an editor, the named queries as examples, results as a sortable table.
(function () {
  "use strict";
  var BASE = "https://w3id.org/realpolitik/";
  var PREFIXES = JSON.parse(document.getElementById("prefixes").textContent);
  var TEXTS = JSON.parse(document.getElementById("query-texts").textContent);
  var editor = CodeMirror.fromTextArea(document.getElementById("query"), {
    mode: "application/sparql-query", lineNumbers: true, indentUnit: 2,
    extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
  });
  var examples = document.getElementById("examples");
  var params = document.getElementById("params");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var catalog = {};

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function curie(iri) {
    var best = null;
    Object.keys(PREFIXES).forEach(function (p) {
      if (iri.indexOf(PREFIXES[p]) === 0 && (best === null || PREFIXES[p].length > PREFIXES[best].length)) best = p;
    });
    return best === null ? iri : best + ":" + iri.slice(PREFIXES[best].length);
  }

  // A link for an IRI: the dataset's own IRIs to their pages here, http(s) as they are.
  function link(iri) {
    var href = iri.indexOf(BASE) === 0 ? "/" + iri.slice(BASE.length) : (/^https?:\/\//.test(iri) ? iri : null);
    if (href === null) return el("code", {}, iri);
    return el("a", { href: href, title: iri }, curie(iri));
  }

  fetch("/api/queries", { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (list) {
      list.forEach(function (q) {
        catalog[q.name] = q;
        examples.appendChild(el("option", { value: q.name }, q.name + ": " + q.summary));
      });
    });

  examples.addEventListener("change", function () {
    var q = catalog[examples.value];
    params.textContent = "";
    if (!q) return;
    editor.setValue(TEXTS[q.name] || "");
    params.appendChild(el("p", {}, q.description));
    if (!q.parameters.length) return;
    params.appendChild(el("p", {}, "Its parameters (bound by /api/queries/" + q.name + "?name=value; here, free variables):"));
    var dl = el("dl");
    q.parameters.forEach(function (p) {
      dl.appendChild(el("dt", {}, "?" + p.name + " (" + p.type + (p.required ? ", required" : "") + ")"));
      dl.appendChild(el("dd", {}, p.description));
    });
    params.appendChild(dl);
  });

  function cell(term, column) {
    var td = el("td");
    if (!term) return td;
    td.dataset.sort = term.value;
    if (term.type === "uri") td.appendChild(link(term.value));
    else if (column === "quote") td.appendChild(el("blockquote", { "class": "quote" })).appendChild(el("mark", {}, term.value));
    else td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
    return td;
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a.trim() && String(y) === b.trim()) return x - y;
    return a.localeCompare(b);
  }

  function sortBy(table, index, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r, s) {
      var order = compare(r.cells[index].dataset.sort || "", s.cells[index].dataset.sort || "");
      return ascending ? order : -order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function table(answer) {
    var vars = answer.head.vars;
    var t = el("table", { "class": "results" });
    var head = t.createTHead().insertRow();
    vars.forEach(function (v, i) {
      var th = el("th", { scope: "col", title: "Sort by " + v }, v);
      th.addEventListener("click", function () { sortBy(t, i, th); });
      head.appendChild(th);
    });
    var body = t.createTBody();
    answer.results.bindings.forEach(function (b) {
      var tr = body.insertRow();
      vars.forEach(function (v) { tr.appendChild(cell(b[v], v)); });
    });
    return t;
  }

  function run() {
    status.textContent = "Running…";
    status.className = "";
    results.textContent = "";
    fetch("/sparql", {
      method: "POST", body: editor.getValue(),
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json, text/turtle;q=0.9" }
    }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      return r.text().then(function (text) {
        if (!r.ok) {
          status.className = "error";
          status.textContent = r.status + ": " + text.trim();
          return;
        }
        if (type.indexOf("application/sparql-results+json") !== 0) {
          status.textContent = "A graph, as Turtle.";
          results.appendChild(el("pre", {}, text));
          return;
        }
        var answer = JSON.parse(text);
        if ("boolean" in answer) {
          status.textContent = "ASK: " + answer["boolean"];
          return;
        }
        var n = answer.results.bindings.length;
        status.textContent = n + " row" + (n === 1 ? "" : "s") + ". Click a column's name to sort by it.";
        results.appendChild(table(answer));
      });
    }).catch(function (e) {
      status.className = "error";
      status.textContent = "The server did not answer: " + e;
    });
  }

  document.getElementById("run").addEventListener("click", run);
}());
