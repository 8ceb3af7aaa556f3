// The step-by-step page (viz.html): frames, and a view that follows the step.
(function () {
  "use strict";
  var frames = Array.prototype.slice.call(document.querySelectorAll("section.frame"));
  var counter = document.getElementById("counter");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var MIN_TEXT_PX = MIN_TEXT_PX_HERE, STEP = 1.25;
  // the step's text may shrink to this (CSS pixels) to fit a zoomed-in window
  var SMALLEST_TEXT_PX = 10;
  // the largest automatic zoom: of a whole small graph, and around a step
  var MAX_SCALE = 2.5, MAX_FOLLOW = 1.5;
  var current = 0;
  var mode = "follow";   // follow the step | fit the whole graph | free (the user's)
  var at = null;         // the view: centre (cx, cy) and scale s (CSS px per unit)

  function picture() { return frames[current].querySelector(".picture"); }
  function svg() { return frames[current].querySelector("svg"); }
  function whole(el) {
    if (!el.wholeBox) {
      var b = el.viewBox.baseVal;
      el.wholeBox = { x: b.x, y: b.y, w: b.width, h: b.height };
    }
    return el.wholeBox;
  }
  function smallestFont(el) {
    if (!el.smallestFont) {
      var least = Infinity;
      el.querySelectorAll("text").forEach(function (t) {
        var size = parseFloat(t.getAttribute("font-size"));
        if (size < least) { least = size; }
      });
      el.smallestFont = isFinite(least) ? least : 14;
    }
    return el.smallestFont;
  }
  function room() { var p = picture(); return { w: p.clientWidth, h: p.clientHeight }; }
  function focusBox(el, only) {
    var names = (frames[current].getAttribute("data-focus") || "").split(" ");
    if (only) { names = names.slice(0, 1); }
    var toSvg = el.getScreenCTM().inverse();
    var box = null;
    el.querySelectorAll("g.node").forEach(function (g) {
      var title = g.querySelector("title");
      if (!title || names.indexOf(title.textContent) < 0) { return; }
      var r = g.getBoundingClientRect();
      var corners = [[r.left, r.top], [r.right, r.bottom]].map(function (c) {
        var pt = el.createSVGPoint(); pt.x = c[0]; pt.y = c[1];
        return pt.matrixTransform(toSvg);
      });
      var b = { x0: corners[0].x, y0: corners[0].y, x1: corners[1].x, y1: corners[1].y };
      box = box ? { x0: Math.min(box.x0, b.x0), y0: Math.min(box.y0, b.y0),
                    x1: Math.max(box.x1, b.x1), y1: Math.max(box.y1, b.y1) } : b;
    });
    if (!box) { var w = whole(el); return w; }
    var pad = 24;
    return { x: box.x0 - pad, y: box.y0 - pad,
             w: box.x1 - box.x0 + 2 * pad, h: box.y1 - box.y0 + 2 * pad };
  }
  function clampAxis(centre, span, start, length) {
    if (span >= length) { return start + length / 2; }
    return Math.max(start + span / 2, Math.min(start + length - span / 2, centre));
  }
  function setView(cx, cy, s) {
    var el = svg(), w = whole(el), r = room();
    if (!r.w || !r.h) { return; }
    var span = { w: r.w / s, h: r.h / s };
    cx = clampAxis(cx, span.w, w.x, w.w);
    cy = clampAxis(cy, span.h, w.y, w.h);
    at = { cx: cx, cy: cy, s: s };
    el.setAttribute("viewBox", [cx - span.w / 2, cy - span.h / 2, span.w, span.h].join(" "));
  }
  function fitScale(el) { var w = whole(el), r = room(); return Math.min(r.w / w.w, r.h / w.h); }
  function place() {
    var el = svg();
    if (!el) { return; }
    var w = whole(el), fit = fitScale(el);
    if (mode === "fit") { setView(w.x + w.w / 2, w.y + w.h / 2, fit); return; }
    var readable = MIN_TEXT_PX / smallestFont(el), r = room();
    if (mode === "follow" && fit >= readable) {
      setView(w.x + w.w / 2, w.y + w.h / 2, Math.min(fit, MAX_SCALE));
      return;
    }
    var f = focusBox(el);
    var s = mode === "free" && at ? at.s
      : Math.max(readable, Math.min(r.w / f.w, r.h / f.h, readable * MAX_FOLLOW));
    if (f.w * s > r.w || f.h * s > r.h) {
      // the node and its parents do not fit at a readable size: the node first
      var node = focusBox(el, true);
      var half = { w: r.w / s / 2, h: r.h / s / 2 };
      var cx = Math.max(node.x + node.w - half.w, Math.min(node.x + half.w, f.x + f.w / 2));
      var cy = Math.max(node.y + node.h - half.h, Math.min(node.y + half.h, f.y + f.h / 2));
      setView(cx, cy, s);
      return;
    }
    setView(f.x + f.w / 2, f.y + f.h / 2, s);
  }
  function zoom(factor, px, py) {
    var el = svg();
    if (!el || !at) { return; }
    var r = room(), least = fitScale(el) / 2;
    var s = Math.max(least, Math.min(8, at.s * factor));
    if (px === undefined) { px = r.w / 2; py = r.h / 2; }
    var ux = at.cx + (px - r.w / 2) / at.s, uy = at.cy + (py - r.h / 2) / at.s;
    mode = "free";
    setView(ux - (px - r.w / 2) / s, uy - (py - r.h / 2) / s, s);
  }
  function reveal() {
    // the step's text whole in the window, under the buttons (which stay at
    // the top): smaller type if it is taller than the room (never under
    // SMALLEST_TEXT_PX), then scroll as little as showing it takes
    var text = frames[current].querySelector("pre");
    if (!text) { return; }
    var room = window.innerHeight - document.querySelector("nav").offsetHeight;
    text.style.fontSize = "";
    for (var k = 0; k < 4 && text.offsetHeight > room; k++) {
      var size = parseFloat(getComputedStyle(text).fontSize);
      if (size <= SMALLEST_TEXT_PX) { break; }
      var smaller = Math.max(SMALLEST_TEXT_PX, size * 0.97 * room / text.offsetHeight);
      text.style.fontSize = smaller + "px";
    }
    var r = text.getBoundingClientRect();
    var top = Math.max(0, document.querySelector("nav").getBoundingClientRect().bottom);
    if (r.bottom > window.innerHeight) { window.scrollBy(0, Math.min(r.bottom - window.innerHeight, r.top - top)); }
    else if (r.top < top) { window.scrollBy(0, r.top - top); }
  }
  function show(i) {
    current = Math.max(0, Math.min(frames.length - 1, i));
    for (var k = 0; k < frames.length; k++) { frames[k].hidden = k !== current; }
    counter.textContent = frames[current].getAttribute("data-counter");
    prev.disabled = current === 0;
    next.disabled = current === frames.length - 1;
    place();
    reveal();
  }
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(STEP); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(1 / STEP); });
  document.getElementById("zoom-fit").addEventListener("click", function () { mode = "fit"; place(); });
  document.getElementById("zoom-follow").addEventListener("click", function () { mode = "follow"; place(); });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    // arrows, and what a presenter's clicker sends: PageDown / PageUp, or
    // Space / Backspace (Shift+Space goes back, as in a slide show)
    var back = current - 1, on = current + 1;
    var moves = { ArrowLeft: back, ArrowRight: on, PageUp: back, PageDown: on,
                  Backspace: back, " ": event.shiftKey ? back : on,
                  Home: 0, End: frames.length - 1 };
    var key = event.key;
    if (key in moves) { show(moves[key]); }
    else if (key === "+" || key === "=") { zoom(STEP); }
    else if (key === "-" || key === "\u2212" || key === "_") { zoom(1 / STEP); }
    else if (key === "0") { mode = "fit"; place(); }
    else if (key === "f" || key === "F") { mode = "follow"; place(); }
    else { return; }
    event.preventDefault();
  });
  frames.forEach(function (frame) {
    var area = frame.querySelector(".picture");
    if (!area) { return; }
    area.addEventListener("wheel", function (event) {
      event.preventDefault();
      var r = area.getBoundingClientRect();
      zoom(event.deltaY < 0 ? STEP : 1 / STEP, event.clientX - r.left, event.clientY - r.top);
    }, { passive: false });
    var drag = null;
    area.addEventListener("pointerdown", function (event) {
      if (!at) { return; }
      drag = { x: event.clientX, y: event.clientY, cx: at.cx, cy: at.cy };
      area.setPointerCapture(event.pointerId);
      area.classList.add("dragging");
    });
    area.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      mode = "free";
      setView(drag.cx - (event.clientX - drag.x) / at.s,
              drag.cy - (event.clientY - drag.y) / at.s, at.s);
    });
    function stop() { drag = null; area.classList.remove("dragging"); }
    area.addEventListener("pointerup", stop);
    area.addEventListener("pointercancel", stop);
  });
  window.addEventListener("resize", function () { place(); reveal(); });
  window.chainrule = { show: show, zoom: zoom, view: function () { return at; },
                       mode: function () { return mode; } };
  show(0);
})();
