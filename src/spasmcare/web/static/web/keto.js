/* spasmcare keto planner: live re-solve of a meal and food search (no libraries).
 *
 * Without this file the planner still works: every button posts the form and the server
 * re-renders the page. With it, a change in a meal (amount typed, lock ticked, food added,
 * removed or swapped) is sent as JSON to the solve URL and only that meal's table is updated.
 * Every number shown comes from the server (the domain solver); nothing is computed here.
 */
(function () {
  "use strict";
  var form = document.getElementById("keto-form");
  if (!form || !window.fetch) { return; }
  var solveUrl = form.getAttribute("data-solve-url");
  var searchUrl = form.getAttribute("data-search-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var NOT_PRESCRIPTION = /^(m\d+_|f\d+_|f_add|feed_|action$|meal_count$|plan_version$|csrfmiddlewaretoken$|record_diet$|diet_start$)/;

  function fmt(value, digits) {
    return (value === null || value === undefined) ? "" : Number(value).toFixed(digits);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function prescription() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      var name = input.name;
      if (!name || NOT_PRESCRIPTION.test(name) || input.type === "submit") { return; }
      out[name] = input.type === "checkbox" ? input.checked : input.value;
    });
    return out;
  }

  function mealItems(card) {
    return Array.prototype.map.call(card.querySelectorAll("tbody tr[data-food]"), function (tr) {
      var grams = tr.querySelector("input.grams").value.trim();
      return {
        food: tr.getAttribute("data-food"),
        grams: grams === "" ? null : Number(grams),
        locked: tr.querySelector("input.lock").checked
      };
    });
  }

  function statusLine(card, data) {
    var p = card.querySelector(".keto-status");
    p.textContent = "";
    var chip, text = "";
    if (data.status === "solved" || data.status === "verified") {
      chip = el("span", { "class": "chip ok" }, "verified by the solver");
      text = " ratio " + fmt(data.totals.ratio, 2) + ":1, " + fmt(data.totals.kcal, 0) + " kcal, just solved";
    } else if (data.status === "infeasible") {
      chip = el("span", { "class": "chip bad" }, "no solution");
      text = " " + (data.reason || "");
    } else if (data.status === "empty") {
      chip = el("span", { "class": "chip info" }, "empty");
    } else if (data.status === "no target") {
      chip = el("span", { "class": "chip info" }, "analysed");
    } else {
      chip = el("span", { "class": "chip bad" }, "cannot solve");
      text = " " + (data.reason || "");
    }
    p.appendChild(chip);
    p.appendChild(document.createTextNode(text));
    var list = card.querySelector(".keto-warnings");
    list.textContent = "";
    (data.warnings || []).forEach(function (w) { list.appendChild(el("li", {}, w)); });
  }

  function render(card, data) {
    var i = card.getAttribute("data-meal");
    var tbody = card.querySelector("tbody");
    var before = {};
    Array.prototype.forEach.call(tbody.querySelectorAll("tr[data-food]"), function (tr) {
      before[tr.getAttribute("data-food")] = tr.querySelector("input.grams").value;
    });
    tbody.textContent = "";
    if (!data.rows.length) {
      var empty = el("tr", { "class": "keto-empty" });
      empty.appendChild(el("td", { colspan: "8", "class": "muted" }, "No food yet: search below and add one."));
      tbody.appendChild(empty);
    }
    data.rows.forEach(function (row, j) {
      var prefix = "m" + i + "_" + j + "_";
      var tr = el("tr", { "data-food": row.food });
      var name = el("td", {}, row.name + " ");
      name.appendChild(el("span", { "class": "small muted" }, row.food));
      if (row.verify) { name.appendChild(el("span", { "class": "chip warn", title: row.verify }, "verify")); }
      name.appendChild(el("input", { type: "hidden", name: prefix + "food", value: row.food }));
      tr.appendChild(name);
      var gramsCell = el("td", { "class": "num" });
      var grams = el("input", {
        "class": "grams", type: "number", min: "0", step: "any", name: prefix + "grams",
        "aria-label": "grams of " + row.name
      });
      grams.value = row.grams === null || row.grams === undefined ? "" : String(row.grams);
      gramsCell.appendChild(grams);
      tr.appendChild(gramsCell);
      var lockCell = el("td");
      var lock = el("input", { "class": "lock", type: "checkbox", name: prefix + "lock", "aria-label": "lock the amount of " + row.name });
      lock.checked = !!row.locked;
      lockCell.appendChild(lock);
      tr.appendChild(lockCell);
      tr.appendChild(el("td", { "class": "num" }, fmt(row.fat_g, 1)));
      tr.appendChild(el("td", { "class": "num" }, fmt(row.protein_g, 1)));
      tr.appendChild(el("td", { "class": "num" }, fmt(row.carb_g, 1)));
      tr.appendChild(el("td", { "class": "num" }, fmt(row.kcal, 0)));
      var actions = el("td", { "class": "keto-row-actions" });
      var swapId = "m" + i + "_swap_" + row.food;
      var swapBox = el("span", { "class": "keto-swap" });
      swapBox.appendChild(el("label", { "for": swapId }, "Swap for"));
      swapBox.appendChild(document.createTextNode(" "));
      var choice = el("select", { "class": "swap-for", id: swapId, name: swapId });
      choice.appendChild(el("option", { value: "" }, "a food searched for below"));
      (row.alternatives || []).forEach(function (alt) {
        choice.appendChild(el("option", { value: alt.food }, alt.name));
      });
      swapBox.appendChild(choice);
      swapBox.appendChild(document.createTextNode(" "));
      swapBox.appendChild(el("button", { type: "submit", "class": "link swap", name: "action", value: "swap:" + i + ":" + row.food, "aria-label": "swap " + row.name + " for the chosen food" }, "Swap"));
      actions.appendChild(swapBox);
      actions.appendChild(document.createTextNode(" "));
      actions.appendChild(el("button", { type: "submit", "class": "link remove", name: "action", value: "remove:" + i + ":" + row.food }, "Remove"));
      tr.appendChild(actions);
      if (before[row.food] !== undefined && before[row.food] !== grams.value) { tr.className = "keto-changed"; }
      tbody.appendChild(tr);
    });
    var foot = card.querySelectorAll("tfoot th");
    var t = data.totals || {};
    foot[3].textContent = fmt(t.fat_g, 1);
    foot[4].textContent = fmt(t.protein_g, 1);
    foot[5].textContent = fmt(t.carb_g, 1);
    foot[6].textContent = fmt(t.kcal, 0);
    foot[7].textContent = t.ratio === null || t.ratio === undefined ? "" : fmt(t.ratio, 2) + ":1";
    statusLine(card, data);
  }

  var sequence = 0;
  function resolve(card, items, swap) {
    var mine = ++sequence;
    card.setAttribute("data-seq", String(mine));
    card.classList.add("keto-busy");
    var body = {
      prescription: prescription(),
      meal: { index: Number(card.getAttribute("data-meal")), name: card.querySelector(".keto-meal-name").value, items: items }
    };
    if (swap) { body.swap = swap; }
    fetch(solveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (card.getAttribute("data-seq") !== String(mine)) { return; }
      card.classList.remove("keto-busy");
      if (result.ok) {
        render(card, result.data);
      } else {
        statusLine(card, { status: "error", reason: result.data.reason || "the request was refused", warnings: [] });
      }
    }).catch(function () {
      card.classList.remove("keto-busy");
      statusLine(card, { status: "error", reason: "no answer from the server: use the Re-solve button", warnings: [] });
    });
  }

  // --- food search ------------------------------------------------------------------------
  function attachSearch(box) {
    var input = box.querySelector("input.food-search");
    var list = box.querySelector(".keto-hits");
    var timer = null, active = -1, hits = [];

    function close() { list.hidden = true; active = -1; }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, k) {
        li.setAttribute("aria-selected", k === active ? "true" : "false");
      });
    }
    function choose(k) {
      var food = hits[k];
      if (!food) { return; }
      close();
      input.value = "";
      box.dispatchEvent(new CustomEvent("keto:food", { detail: food, bubbles: true }));
    }
    function show(data) {
      hits = data;
      list.textContent = "";
      data.forEach(function (food, k) {
        var li = el("li", { role: "option" }, food.name + " ");
        li.appendChild(el("span", { "class": "small muted" }, food.id));
        var macro = "per " + food.basis + ": fat " + fmt(food.fat_g, 1) + " g, protein " +
          fmt(food.protein_g, 1) + " g, carbohydrate " + fmt(food.carb_g, 1) + " g";
        li.appendChild(el("span", { "class": "macro" }, macro + (food.verify ? " · verify the label" : "")));
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(k); });
        list.appendChild(li);
      });
      list.hidden = data.length === 0;
      active = data.length ? 0 : -1;
      mark();
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        fetch(searchUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (data) { if (input.value.trim() === q) { show(data); } })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "Enter") {  // a typed id: the box's own Add button, not the page's
          event.preventDefault();
          box.querySelector("button").click();
        }
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length;
        mark();
      } else if (event.key === "Enter") {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  Array.prototype.forEach.call(form.querySelectorAll(".keto-add"), attachSearch);

  // --- meals ------------------------------------------------------------------------------
  Array.prototype.forEach.call(form.querySelectorAll(".keto-meal"), function (card) {
    var search = card.querySelector("input.food-search");
    var placeholder = search.getAttribute("placeholder");

    card.addEventListener("change", function (event) {
      var target = event.target;
      if (target.classList.contains("grams")) {
        // an amount typed is an amount the dietitian wants: lock it
        target.closest("tr").querySelector("input.lock").checked = target.value.trim() !== "";
        resolve(card, mealItems(card));
      } else if (target.classList.contains("lock")) {
        resolve(card, mealItems(card));
      }
    });
    card.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !card.contains(button)) { return; }
      var tr = button.closest("tr[data-food]");
      if (button.classList.contains("remove") && tr) {
        event.preventDefault();
        tr.parentNode.removeChild(tr);
        resolve(card, mealItems(card));
      } else if (button.classList.contains("swap") && tr) {
        event.preventDefault();
        var chosen = tr.querySelector("select.swap-for");
        if (chosen && chosen.value) {
          // the replacement chosen beside the food: swap and re-solve now
          resolve(card, mealItems(card), { old: tr.getAttribute("data-food"), "new": chosen.value });
          return;
        }
        var typed = search.value.trim();
        if (typed && form.requestSubmit) {
          // a food id typed in the search box: the same swap, by the form's own post
          card.removeAttribute("data-swap");
          form.requestSubmit(button);
          return;
        }
        card.setAttribute("data-swap", tr.getAttribute("data-food"));
        search.setAttribute("placeholder", "Search the food to put in place of " + tr.cells[0].firstChild.textContent.trim());
        search.focus();
      }
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        card.removeAttribute("data-swap");
        search.setAttribute("placeholder", placeholder);
      }
    });
    card.addEventListener("keto:food", function (event) {
      var food = event.detail;
      var items = mealItems(card);
      if (items.some(function (it) { return it.food === food.id; })) {
        statusLine(card, { status: "error", reason: food.name + " is already in this meal", warnings: [] });
        return;
      }
      var old = card.getAttribute("data-swap");
      card.removeAttribute("data-swap");
      search.setAttribute("placeholder", placeholder);
      if (old) {
        resolve(card, items, { old: old, "new": food.id });
      } else {
        items.push({ food: food.id, grams: null, locked: false });
        resolve(card, items);
      }
    });
  });

  // --- feed: a chosen product is added by the normal form post (the feed is solved whole) ---
  var feedBox = form.querySelector(".keto-add[data-feed]");
  if (feedBox) {
    feedBox.addEventListener("keto:food", function (event) {
      var input = feedBox.querySelector("input.food-search");
      input.value = event.detail.id;
      var kind = feedBox.querySelector("select[name=f_add_kind]");
      if (kind && event.detail.basis === "100 mL") { kind.value = "liquid"; }
      feedBox.querySelector("button[value=feed_add]").click();
    });
  }
})();
