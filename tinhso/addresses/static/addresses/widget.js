/* Address recognition widget (templates/addresses/_widget.html): posts the
   free text to /api/v1/addresses/recognise and fills the form's commune (and
   house number, street, hamlet) from the answer; when the old commune was
   split, the person chooses among the alternatives. With data-source the
   text is read from a field of the form (e.g. the applicant's address);
   data-unit-value="code" fills the commune's code instead of its id. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  function setValue(id, value) { var el = id && document.getElementById(id); if (el && value) { el.value = value; } }
  function choose(box, data, unit) {
    setValue(box.dataset.targetUnit, String(box.dataset.unitValue === "code" ? unit.code : unit.unit_id));
    setValue(box.dataset.targetHouse, data.house_number);
    setValue(box.dataset.targetStreet, data.street);
    setValue(box.dataset.targetHamlet, data.hamlet);
  }
  function show(box, data) {
    var out = box.querySelector("[data-address-out]");
    out.textContent = "";
    if (!data.unit) { out.textContent = box.dataset.labelNone; return; }
    var p = document.createElement("p");
    p.textContent = data.normalised + " · " + box.dataset.labelConfidence + " " + Math.round(data.confidence * 100) + "%";
    out.appendChild(p);
    if (data.accepted) { choose(box, data, data.unit); }
    var all = [data.unit].concat(data.alternatives || []);
    if (all.length > 1) {
      var label = document.createElement("p");
      label.textContent = box.dataset.labelChoose;
      out.appendChild(label);
      all.forEach(function (unit) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "link";
        b.textContent = unit.name + " (" + unit.code + ")";
        b.addEventListener("click", function () { choose(box, data, unit); });
        out.appendChild(b);
        out.appendChild(document.createTextNode(" "));
      });
    }
  }
  function setup(box) {
    var input = (box.dataset.source && document.getElementById(box.dataset.source)) || box.querySelector("[data-address-text]");
    box.querySelector("[data-address-go]").addEventListener("click", function () {
      if (!input.value.trim()) { return; }
      fetch(box.dataset.endpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: input.value }) })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.message && !("accepted" in data)) { box.querySelector("[data-address-out]").textContent = data.message; return; }
          show(box, data);
        });
    });
  }
  ready(function () { document.querySelectorAll("[data-address-widget]").forEach(setup); });
})();
