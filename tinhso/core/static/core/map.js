/* Maps of the pages with a map (field reports, addresses, farm products;
   Leaflet from the npm registry, when it is installed; loaded by
   templates/includes/map_head.html). Every map reads its data from the page: a `.map` element with
   data-center, data-tiles, data-attribution; markers from elements with
   data-lat/data-lng (and data-title, data-href, data-class); a picker map
   (data-pick) writes the chosen point into the inputs named by data-lat-input
   / data-lng-input. Without the library or the tiles, the page keeps working
   as a list and a form. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }

  function setupMap(el) {
    if (!window.L) { return; }
    var center = (el.dataset.center || "10.03,105.78").split(",").map(Number);
    var map = L.map(el, { scrollWheelZoom: false }).setView(center, Number(el.dataset.zoom || 13));
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    var points = [];
    document.querySelectorAll(el.dataset.markers || "[data-marker]").forEach(function (item) {
      var lat = parseFloat(item.dataset.lat), lng = parseFloat(item.dataset.lng);
      if (isNaN(lat) || isNaN(lng)) { return; }
      var marker = L.circleMarker([lat, lng], { radius: 7, className: "pin " + (item.dataset.class || "") }).addTo(map);
      if (item.dataset.title) {
        var box = document.createElement("div");
        var link = document.createElement(item.dataset.href ? "a" : "span");
        if (item.dataset.href) { link.href = item.dataset.href; }
        link.textContent = item.dataset.title;
        box.appendChild(link);
        marker.bindPopup(box);
      }
      points.push([lat, lng]);
    });
    if (points.length > 1 && !el.dataset.pick) { map.fitBounds(points, { padding: [20, 20], maxZoom: 16 }); }
    else if (points.length === 1) { map.setView(points[0], 16); }
    if (el.dataset.pick) { setupPicker(el, map); }
    el.classList.add("map-ready");
  }

  function setupPicker(el, map) {
    var latInput = document.getElementById(el.dataset.latInput);
    var lngInput = document.getElementById(el.dataset.lngInput);
    var status = document.getElementById(el.dataset.status);
    var marker = null;
    function place(lat, lng, zoom) {
      latInput.value = lat.toFixed(6);
      lngInput.value = lng.toFixed(6);
      if (marker) { marker.setLatLng([lat, lng]); } else { marker = L.marker([lat, lng]).addTo(map); }
      if (zoom) { map.setView([lat, lng], 17); }
      if (status) { status.textContent = status.dataset.done.replace("{lat}", lat.toFixed(5)).replace("{lng}", lng.toFixed(5)); }
    }
    if (latInput.value && lngInput.value) { place(parseFloat(latInput.value), parseFloat(lngInput.value), true); }
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, false); });
    el.pickAt = place; /* used by the tests and the GPS button */
  }

  function setupLocate(button) {
    button.hidden = !("geolocation" in navigator);
    button.addEventListener("click", function () {
      var el = document.getElementById(button.dataset.map);
      var status = document.getElementById(el.dataset.status);
      if (status) { status.textContent = button.dataset.wait; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        if (el.pickAt) { el.pickAt(pos.coords.latitude, pos.coords.longitude, true); }
        else {
          document.getElementById(el.dataset.latInput).value = pos.coords.latitude.toFixed(6);
          document.getElementById(el.dataset.lngInput).value = pos.coords.longitude.toFixed(6);
          if (status) { status.textContent = status.dataset.done.replace("{lat}", pos.coords.latitude.toFixed(5)).replace("{lng}", pos.coords.longitude.toFixed(5)); }
        }
      }, function () { if (status) { status.textContent = button.dataset.failed; } }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  ready(function () {
    document.querySelectorAll(".map[data-center]").forEach(setupMap);
    document.querySelectorAll("button[data-locate]").forEach(setupLocate);
  });
})();
