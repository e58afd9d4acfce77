(function () {
  "use strict";
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.node"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("svg.dag .dag-node"));
  var edges = Array.prototype.slice.call(document.querySelectorAll("svg.dag .dag-edge"));
  var search = document.getElementById("search");
  var chips = Array.prototype.slice.call(document.querySelectorAll(".chip"));
  var shown = document.getElementById("shown");
  var state = "";

  function apply() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var visible = {};
    var count = 0;
    sections.forEach(function (section) {
      var text = section.getAttribute("data-search").toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
        (!state || section.getAttribute("data-state") === state);
      section.hidden = !match;
      if (match) { visible[section.getAttribute("data-name")] = true; count += 1; }
    });
    var filtering = words.length > 0 || state !== "";
    boxes.forEach(function (box) {
      box.classList.toggle("dim", filtering && !visible[box.getAttribute("data-node")]);
    });
    edges.forEach(function (edge) {
      var both = visible[edge.getAttribute("data-from")] && visible[edge.getAttribute("data-to")];
      edge.classList.toggle("dim", filtering && !both);
    });
    shown.textContent = filtering ? count + " of " + sections.length + " nodes" : "";
  }

  search.addEventListener("input", apply);
  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      state = chip.getAttribute("data-state");
      chips.forEach(function (c) { c.classList.toggle("active", c === chip); });
      apply();
    });
  });

  function setOpen(open) {
    document.querySelectorAll("section.node:not([hidden]) details.block").forEach(function (d) { d.open = open; });
  }
  document.getElementById("expand").addEventListener("click", function () { setOpen(true); });
  document.getElementById("collapse").addEventListener("click", function () { setOpen(false); });

  boxes.forEach(function (box) {
    var name = box.getAttribute("data-node");
    box.addEventListener("mouseenter", function () {
      edges.forEach(function (edge) {
        var hot = edge.getAttribute("data-from") === name || edge.getAttribute("data-to") === name;
        edge.classList.toggle("hot", hot);
      });
    });
    box.addEventListener("mouseleave", function () {
      edges.forEach(function (edge) { edge.classList.remove("hot"); });
    });
  });

  document.documentElement.setAttribute("data-ready", "true");
})();
