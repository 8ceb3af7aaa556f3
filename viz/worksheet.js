// The worksheet page (viz.worksheet): each answer checked in the page.
// The numbers come from the exercise (the JSON above): the right answer and
// each known mistake's wrong number, with its tolerance. This script only
// reads the student's arithmetic and compares numbers.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("worksheet-data").textContent);
  var TRIES = data.tries;
  var state = [];  // per exercise, per question: {tries, first, done}
  var score = document.getElementById("score");

  // --- reading an answer: numbers and arithmetic, never run as code ---------------
  var FUNCTIONS = {
    exp: Math.exp, ln: Math.log, log: Math.log, sqrt: Math.sqrt, tanh: Math.tanh,
    sigmoid: sigmoid, sigma: sigmoid
  };
  function sigmoid(x) {
    if (x >= 0) { return 1 / (1 + Math.exp(-x)); }
    var e = Math.exp(x);
    return e / (1 + e);
  }
  var SPELLINGS = [["\u2212", "-"], ["\u2013", "-"], ["\u00d7", "*"], ["\u00b7", "*"],
                   ["\u22c5", "*"], ["\u00f7", "/"], ["**", "^"], ["\u03c3", "sigma"],
                   ["\u00b2", "^2"], ["\u00b3", "^3"]];
  function fail(message) { var e = new Error(message); e.answer = true; throw e; }
  var EXAMPLES = "a number or arithmetic such as -0.5*2, 1/4 or 0.5*(1 - 0.5)";
  function read(given) {
    var text = String(given).trim();
    if (!text) { fail("the answer is empty; write " + EXAMPLES + "."); }
    if (text.length > 200) { fail("the answer is too long; keep it under 200 characters."); }
    var shown = "'" + (text.length <= 40 ? text : text.slice(0, 37) + "...") + "'";
    if (text.indexOf(",") >= 0) {
      fail("cannot read " + shown + ": write decimals with a point (0.5, not 0,5).");
    }
    try {
      return evaluate(text);
    } catch (error) {
      if (!error.answer) { throw error; }
      fail("cannot read " + shown + ": " + error.message);
    }
  }
  function evaluate(text) {
    SPELLINGS.forEach(function (pair) { text = text.split(pair[0]).join(pair[1]); });
    var tokens = text.match(
      /\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?|[A-Za-z_]+|\S/g) || [];
    var at = 0;
    function peek() { return tokens[at]; }
    function take(expected) {
      var token = tokens[at];
      if (expected !== undefined && token !== expected) {
        fail("write " + EXAMPLES + ".");
      }
      at += 1;
      return token;
    }
    function expression() {
      var value = term();
      while (peek() === "+" || peek() === "-") {
        value = take() === "+" ? value + term() : value - term();
      }
      return value;
    }
    function term() {
      var value = unary();
      while (peek() === "*" || peek() === "/") {
        if (take() === "*") { value *= unary(); }
        else {
          var by = unary();
          if (by === 0) { fail("division by zero."); }
          value /= by;
        }
      }
      return value;
    }
    function unary() {
      if (peek() === "-") { take(); return -unary(); }
      if (peek() === "+") { take(); return unary(); }
      return power();
    }
    function power() {
      var base = atom();
      if (peek() === "^") {
        take();
        var exponent = unary();
        if (Math.abs(exponent) > 100) { fail("the exponent " + exponent + " is too large."); }
        return Math.pow(base, exponent);
      }
      return base;
    }
    function atom() {
      var token = take();
      if (token === undefined) { fail("write " + EXAMPLES + "."); }
      if (token === "(") { var inner = expression(); take(")"); return inner; }
      if (/^(\d|\.)/.test(token)) { return parseFloat(token); }
      if (/^[A-Za-z_]/.test(token)) {
        if (!(token in FUNCTIONS)) {
          if (peek() === "(") {
            fail("there is no function '" + token + "'; use exp, ln, log, sqrt, tanh, sigmoid, sigma.");
          }
          fail("the name '" + token + "' has no value here; write the number it stands for.");
        }
        take("(");
        var argument = expression();
        take(")");
        return FUNCTIONS[token](argument);
      }
      fail("only numbers, + - * / ** (or ^), brackets and exp, ln, sqrt, tanh, \u03c3.");
    }
    var value = expression();
    if (at < tokens.length) { fail("write " + EXAMPLES + "."); }
    if (!isFinite(value)) { fail("it is not a finite number."); }
    return value;
  }
  function close(number, target, tolerance) {
    return Math.abs(number - target) <= tolerance * (1 + 1e-9);
  }
  function fmt(x) {  // 4 significant digits, as the stepper writes numbers
    var text = Number(x.toPrecision(4)).toString();
    return text;
  }

  // --- the picture: the question's part of the graph, highlighted -------------------
  function highlight(section, focus) {
    var picture = section.querySelector(".picture");
    var node = null;
    picture.querySelectorAll("g.current").forEach(function (g) {
      g.classList.remove("current");
    });
    picture.querySelectorAll("g.node, g.edge").forEach(function (g) {
      var title = g.querySelector("title");
      if (title && focus.indexOf(title.textContent) >= 0) {
        g.classList.add("current");
        if (title.textContent === focus[0]) { node = g; }
      }
    });
    if (node) {  // bring the node into the middle of the picture's view
      var box = node.getBoundingClientRect(), area = picture.getBoundingClientRect();
      picture.scrollLeft += box.left + box.width / 2 - (area.left + area.width / 2);
      picture.scrollTop += box.top + box.height / 2 - (area.top + area.height / 2);
    }
  }

  // --- checking ---------------------------------------------------------------------
  function updateScore() {
    var first = 0, total = 0;
    state.forEach(function (questions) {
      questions.forEach(function (q) { total += 1; if (q.first) { first += 1; } });
    });
    score.textContent = first + "/" + total + " right first time";
  }
  function say(item, lines, kind) {
    var said = item.querySelector(".said");
    said.textContent = "";
    said.className = "said " + kind;
    lines.forEach(function (line) {
      var div = document.createElement("div");
      div.textContent = line;
      said.appendChild(div);
    });
  }
  function check(e, k) {
    var question = data.exercises[e].questions[k];
    var mine = state[e][k];
    var item = items[e][k];
    var input = item.querySelector("input.answer");
    if (mine.done) { return; }
    var number;
    try {
      number = read(input.value);
    } catch (error) {
      if (!error.answer) { throw error; }
      say(item, [error.message], "unreadable");
      return;
    }
    mine.tries += 1;
    if (close(number, question.answer, question.tolerance)) {
      mine.done = true;
      mine.first = mine.tries === 1;
      item.classList.add("right");
      item.querySelector(".mark").textContent = "\u2713";
      input.readOnly = true;
      say(item, ["right: " + question.worked], "right");
      updateScore();
      next(e, k);
      return;
    }
    var lines = [fmt(number) + " is not right."];
    for (var m = 0; m < question.mistakes.length; m++) {
      var mistake = question.mistakes[m];
      if (close(number, mistake.number, mistake.tolerance)) {
        lines.push("likely mistake: " + mistake.title + " (" + mistake.text + ")");
        break;
      }
    }
    lines.push("the rule: " + question.hint);
    item.classList.add("wrong");
    item.querySelector(".mark").textContent = "\u2717";
    if (mine.tries >= TRIES) { item.querySelector("button.show").hidden = false; }
    say(item, lines, "wrong");
  }
  function show(e, k) {
    var question = data.exercises[e].questions[k];
    var item = items[e][k];
    state[e][k].done = true;
    item.classList.add("shown");
    item.querySelector("input.answer").readOnly = true;
    item.querySelector("button.show").hidden = true;
    say(item, ["the answer: " + question.worked], "shown");
    updateScore();
    next(e, k);
  }
  function next(e, k) {
    var following = items[e][k + 1] || (items[e + 1] && items[e + 1][0]);
    if (following) { following.querySelector("input.answer").focus(); }
  }

  // --- wiring -----------------------------------------------------------------------
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.exercise"));
  var items = sections.map(function (section) {
    return Array.prototype.slice.call(section.querySelectorAll("li.question"));
  });
  sections.forEach(function (section, e) {
    state.push(items[e].map(function () { return { tries: 0, first: false, done: false }; }));
    items[e].forEach(function (item, k) {
      var input = item.querySelector("input.answer");
      var focus = data.exercises[e].questions[k].focus;
      input.addEventListener("focus", function () {
        highlight(section, focus);
        items[e].forEach(function (other) { other.classList.remove("current"); });
        item.classList.add("current");
      });
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); check(e, k); }
      });
      item.querySelector("button.check").addEventListener("click", function () { check(e, k); });
      item.querySelector("button.show").addEventListener("click", function () { show(e, k); });
    });
  });
  var key = document.getElementById("key");
  key.addEventListener("click", function () {
    var on = document.body.classList.toggle("key");
    key.setAttribute("aria-pressed", on ? "true" : "false");
    key.textContent = on ? "worksheet" : "answer key";
  });
  document.getElementById("print").addEventListener("click", function () { window.print(); });
  window.chainrule = {
    read: function (text) {
      try { return read(text); } catch (error) { if (error.answer) { return null; } throw error; }
    },
    score: function () { return score.textContent; },
    check: check
  };
  updateScore();
  if (items.length && items[0].length) {
    highlight(sections[0], data.exercises[0].questions[0].focus);
    items[0][0].classList.add("current");
  }
})();
